#include "bulwark/text/marks.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

const icu::Normalizer2& Nfd() {
  return IcuNormalizer(icu::Normalizer2::getNFDInstance);
}

TEST(MarksTest, ZalgoReturnsToPlainLetters) {
  TextRun run = RunOf(U"h\u0337\u0322e\u0335l\u0336l\u0338o\u0334\u0489");
  StripMarks(Nfd(), run, nullptr);
  EXPECT_EQ(run.chars, U"hello");
  const std::vector<Span> want = {{0, 1}, {5, 6}, {8, 9}, {11, 12}, {14, 15}};
  EXPECT_EQ(run.origin, want);
}

TEST(MarksTest, PrecomposedAccentsAreStripped) {
  TextRun run = RunOf(U"caf\u00E9 na\u00EFve");
  ChangeLog changes;
  StripMarks(Nfd(), run, &changes);
  EXPECT_EQ(run.chars, U"cafe naive");
  EXPECT_EQ(run.origin[3], (Span{3, 5}));  // 'e' points at both bytes of é
  EXPECT_EQ(run.origin[4], (Span{5, 6}));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(
      IsChange(changes[0], "marks", {3, 5}, EncodeUtf8(U"\u00E9"), "e"));
}

TEST(MarksTest, ScriptOwnMarksAreSpelling) {
  // Devanagari KA + vowel sign U (Mn), and a Hangul syllable: both stay whole.
  TextRun run = RunOf(U"\u0915\u0941 \uD55C");
  StripMarks(Nfd(), run, nullptr);
  EXPECT_EQ(run.chars, U"\u0915\u0941 \uD55C");
}

TEST(MarksTest, ForeignMarkOnLatinLetterIsDropped) {
  TextRun run = RunOf(U"he\u0941llo");
  StripMarks(Nfd(), run, nullptr);
  EXPECT_EQ(run.chars, U"hello");
}

TEST(MarksTest, AsciiUntouched) {
  TextRun run = DecodeUtf8("spaced example");
  StripMarks(Nfd(), run, nullptr);
  EXPECT_EQ(run.chars, U"spaced example");
}

}  // namespace
}  // namespace bulwark::text

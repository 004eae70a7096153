#include "bulwark/text/confusables.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

class ConfusablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mapper = ConfusableMapper::Create();
    ASSERT_TRUE(mapper.ok()) << mapper.error().ToString();
    mapper_ = std::move(*mapper);
  }

  TextRun Map(std::u32string_view text, ChangeLog* changes = nullptr) {
    TextRun run = RunOf(text);
    mapper_->Apply(run, changes);
    return run;
  }

  std::unique_ptr<ConfusableMapper> mapper_;
};

TEST_F(ConfusablesTest, MixedScriptWordBecomesLatin) {
  ChangeLog changes;
  const TextRun run = Map(U"p\u0430ypal w\u043Erld", &changes);
  EXPECT_EQ(run.chars, U"paypal world");
  EXPECT_EQ(run.origin[1], (Span{1, 3}));  // both bytes of Cyrillic а
  EXPECT_EQ(run.origin[2], (Span{3, 4}));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(
      IsChange(changes[0], "confusable", {1, 3}, EncodeUtf8(U"\u0430"), "a"));
}

TEST_F(ConfusablesTest, WordOfLookAlikesBecomesLatin) {
  // Cyrillic р, о, е: each looks like one ASCII letter.
  const TextRun run = Map(U"\u0440\u043E\u0435");
  EXPECT_EQ(run.chars, U"poe");
  const std::vector<Span> want = {{0, 2}, {2, 4}, {4, 6}};
  EXPECT_EQ(run.origin, want);
}

TEST_F(ConfusablesTest, CyrillicWordIsTransliterated) {
  const TextRun run = Map(U"\u043F\u0440\u0438\u0432\u0435\u0442 hello");
  EXPECT_EQ(run.chars, U"privet hello");
  // Letter by letter transliteration agrees with the word's: exact spans.
  EXPECT_EQ(run.origin[0], (Span{0, 2}));
  EXPECT_EQ(run.origin[5], (Span{10, 12}));
  EXPECT_EQ(run.origin[7], (Span{13, 14}));
}

TEST_F(ConfusablesTest, GreekWordIsTransliterated) {
  ChangeLog changes;
  const TextRun run =
      Map(U"\u03BA\u03B1\u03BB\u03B7\u03BC\u03B5\u03C1\u03B1", &changes);
  EXPECT_EQ(run.chars, U"kalemera");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].step, "transliterate");
  EXPECT_EQ(changes[0].original, (Span{0, 16}));
  EXPECT_EQ(changes[0].to, "kalemera");
}

TEST_F(ConfusablesTest, AsciiDigitsAreNeverMapped) {
  EXPECT_EQ(Map(U"h\u0435ll0 12 \u0430ge 13").chars, U"hell0 12 age 13");
}

TEST_F(ConfusablesTest, LatinLettersBeyondAsciiAreSpelledOut) {
  EXPECT_EQ(Map(U"\u00F8 \u00E6").chars, U"o ae");
}

TEST_F(ConfusablesTest, SymbolsAndAsciiStay) {
  EXPECT_EQ(Map(U"hello \U0001F600 world!").chars, U"hello \U0001F600 world!");
}

TEST_F(ConfusablesTest, MapKeepingCaseKeepsUpperAndLowerCase) {
  TextRun run = RunOf(
      U"\u0430\u0441\u0501\u0435\u04BB\u0456\u0458\u03BA\u04CF\u043E\u0440"
      U"\u051B\u0455\u03BD\u051D\u0445\u0443 "
      U"\u0410\u0412\u0421\u0415\u041D\u0406\u0408\u041A\u041C\u039D\u041E"
      U"\u0420\u0405\u0422\u0425\u04AE\u0396");
  mapper_->MapKeepingCase(run);
  EXPECT_EQ(run.chars, U"acdehijklopqsvwxy ABCEHIJKMNOPSTXYZ");
}

TEST_F(ConfusablesTest, UpperCaseLookalikesSurviveFolding) {
  // Greek capital nu ("N"), Cyrillic capital I; other letters untouched.
  TextRun run = RunOf(U"\u039Dice \u0406tem \u00C9t\u00E9");
  ChangeLog changes;
  mapper_->MapUpperLookalikes(run, &changes);
  EXPECT_EQ(run.chars, U"Nice \u0406tem \u00C9t\u00E9");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].original, (Span{0, 2}));
}

}  // namespace
}  // namespace bulwark::text

#include "bulwark/text/invisible.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

TEST(InvisibleTest, ListedCharactersAreInvisible) {
  const std::vector<char32_t> invisible = {
      0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x202A, 0x202B,
      0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E,
      0x200F, 0x061C, 0x180E, 0x3164, 0xFE0F, 0xE0041};
  for (char32_t c : invisible)
    EXPECT_TRUE(IsInvisible(c)) << std::hex << static_cast<uint32_t>(c);
  for (char32_t c : {U'a', U' ', U'\t', char32_t{0xE9}, char32_t{0xA0}}) {
    EXPECT_FALSE(IsInvisible(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

TEST(InvisibleTest, RemovedCharacterLeavesNeighbourSpans) {
  TextRun run = RunOf(U"he\u200Bllo");
  RemoveInvisible(run, nullptr);
  EXPECT_EQ(run.chars, U"hello");
  const std::vector<Span> want = {{0, 1}, {1, 2}, {5, 6}, {6, 7}, {7, 8}};
  EXPECT_EQ(run.origin, want);
}

TEST(InvisibleTest, BidiControlsAndSoftHyphensGo) {
  TextRun run = RunOf(U"\u202Eex\u00ADam\u2066ple\u2069\uFEFF");
  RemoveInvisible(run, nullptr);
  EXPECT_EQ(run.chars, U"example");
  EXPECT_EQ(run.origin.size(), run.chars.size());
  EXPECT_EQ(run.origin[0], (Span{3, 4}));
}

TEST(InvisibleTest, LogsOnlyWhenAsked) {
  TextRun run = RunOf(U"wo\u2060rld");
  ChangeLog changes;
  RemoveInvisible(run, &changes);
  EXPECT_EQ(run.chars, U"world");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(
      IsChange(changes[0], "invisible", {2, 5}, EncodeUtf8(U"\u2060"), ""));
}

TEST(InvisibleTest, PlainTextUntouched) {
  TextRun run = DecodeUtf8("hello world");
  RemoveInvisible(run, nullptr);
  EXPECT_EQ(run.chars, U"hello world");
  EXPECT_EQ(run.origin.back(), (Span{10, 11}));
}

}  // namespace
}  // namespace bulwark::text

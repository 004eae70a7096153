#include "bulwark/text/squeeze.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/text_test_util.h"

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

TEST(SqueezeTest, LongRunsBecomeTwo) {
  TextRun run = DecodeUtf8("heeeello");
  ChangeLog changes;
  SqueezeRepeats(run, &changes);
  EXPECT_EQ(run.chars, U"heello");
  // The second kept 'e' covers the ones dropped after it.
  const std::vector<Span> want = {{0, 1}, {1, 2}, {2, 5},
                                  {5, 6}, {6, 7}, {7, 8}};
  EXPECT_EQ(run.origin, want);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(IsChange(changes[0], "squeeze", {1, 5}, "eeee", "ee"));
}

TEST(SqueezeTest, DoublesDigitsAndPunctuationStay) {
  for (const char* text : {"hello good", "1000 years", "wow!!!!", "..."}) {
    TextRun run = DecodeUtf8(text);
    SqueezeRepeats(run, nullptr);
    EXPECT_EQ(EncodeUtf8(run.chars), text);
  }
}

TEST(SqueezeTest, SeveralRunsInOneText) {
  TextRun run = DecodeUtf8("sooo spaaaaced wooorld");
  SqueezeRepeats(run, nullptr);
  EXPECT_EQ(run.chars, U"soo spaaced woorld");
  EXPECT_EQ(run.origin.size(), run.chars.size());
  EXPECT_EQ(run.origin.back(), (Span{21, 22}));
}

TEST(SqueezeTest, NonAsciiLetters) {
  TextRun run = RunOf(U"\u00E9\u00E9\u00E9");
  SqueezeRepeats(run, nullptr);
  EXPECT_EQ(run.chars, U"\u00E9\u00E9");
  const std::vector<Span> want = {{0, 2}, {2, 6}};
  EXPECT_EQ(run.origin, want);
}

}  // namespace
}  // namespace bulwark::text

#include "bulwark/text/fold.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

TextRun Folded(std::u32string_view text, ChangeLog* changes = nullptr) {
  TextRun run = RunOf(text);
  FoldCase(IcuNormalizer(icu::Normalizer2::getNFKCCasefoldInstance), run,
           changes);
  return run;
}

TEST(FoldTest, AsciiIsLowered) {
  ChangeLog changes;
  const TextRun run = Folded(U"Hello WORLD 12!", &changes);
  EXPECT_EQ(run.chars, U"hello world 12!");
  EXPECT_TRUE(changes.empty());  // case changes of ASCII are not logged
}

TEST(FoldTest, FullwidthBecomesAscii) {
  const TextRun run = Folded(U"\uFF28\uFF45\uFF4C\uFF4C\uFF4F\uFF11");
  EXPECT_EQ(run.chars, U"hello1");
  EXPECT_EQ(run.origin[1], (Span{3, 6}));
}

TEST(FoldTest, MathematicalBoldBecomesAscii) {
  const TextRun run =
      Folded(U"\U0001D407\U0001D41E\U0001D425\U0001D425\U0001D428");
  EXPECT_EQ(run.chars, U"hello");
  const std::vector<Span> want = {{0, 4}, {4, 8}, {8, 12}, {12, 16}, {16, 20}};
  EXPECT_EQ(run.origin, want);
}

TEST(FoldTest, SuperscriptsBecomeAscii) {
  EXPECT_EQ(Folded(U"\u02B0\u1D49\u02E1\u02E1\u1D52").chars, U"hello");
  EXPECT_EQ(Folded(U"x\u00B2").chars, U"x2");
}

TEST(FoldTest, LigatureCharactersShareTheSpan) {
  ChangeLog changes;
  const TextRun run = Folded(U"\uFB01ne stra\u00DFe", &changes);
  EXPECT_EQ(run.chars, U"fine strasse");
  EXPECT_EQ(run.origin[0], (Span{0, 3}));
  EXPECT_EQ(run.origin[1], (Span{0, 3}));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].step, "fold");
  EXPECT_EQ(changes[0].to, "fi");
  EXPECT_EQ(changes[1].to, "ss");
}

TEST(FoldTest, OddSpacesBecomeSpaces) {
  EXPECT_EQ(Folded(U"hello\u00A0world\u3000example").chars,
            U"hello world example");
}

}  // namespace
}  // namespace bulwark::text

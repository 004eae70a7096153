// The text detector: findings per fired rule with evidence pointing into
// the field it came from, the prompt of an output checked too, and an
// error (never a silent allow) for text it cannot look at.
#include "bulwark/detect/text_detector.h"

#include <gtest/gtest.h>

#include "bulwark/policy/check.h"
#include "bulwark/policy/policy.h"
#include "support/scratch_dir.h"
#include "support/test_lexicon.h"

namespace bulwark::detect {
namespace {

std::shared_ptr<const text::TextChecker> Checker(const testing::ScratchDir& dir,
                                                 size_t max_bytes = 64 * 1024) {
  testing::WritePlaceholderLexicon(dir);
  text::TextCheckerOptions options;
  options.lexicon_dir = dir / "lex";
  options.languages = {"en"};
  options.rules = testing::PlaceholderRules();
  options.limits.max_input_bytes = max_bytes;
  auto c = text::TextChecker::Create(options);
  EXPECT_TRUE(c.ok()) << c.error().ToString();
  return std::make_shared<const text::TextChecker>(std::move(*c));
}

TEST(TextDetector, FindingPerRuleWithEvidenceSpans) {
  testing::ScratchDir dir;
  TextDetector detector(Checker(dir));
  Item item;
  item.text = "a b4n4n4 for the apple";
  DetectorReport r = detector.Run(item);
  EXPECT_EQ(r.detector, "text");
  EXPECT_FALSE(r.error);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.kind, "text.rule");
  EXPECT_EQ(f.category, "minor-and-sexual");
  EXPECT_EQ(f.field, "text");
  EXPECT_EQ(f.view, "text");
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].category, "minor");
  EXPECT_EQ(f.evidence[0].term, "apple");
  EXPECT_EQ(f.evidence[1].term, "banana");
  EXPECT_EQ(f.evidence[1].matched, "b4n4n4");
  EXPECT_EQ(
      item.text->substr(f.evidence[1].span.begin,
                        f.evidence[1].span.end - f.evidence[1].span.begin),
      "b4n4n4");
  EXPECT_NE(f.reason.find("minor-and-sexual"), std::string::npos);
}

TEST(TextDetector, ChecksAnOutputsPromptAndNamesTheField) {
  testing::ScratchDir dir;
  TextDetector detector(Checker(dir));
  Item item;
  item.direction = Direction::kOutput;
  item.text = "a caption about the weather";
  item.prompt = "YXBwbGUgYmFuYW5h";  // base64 of the placeholder pair
  DetectorReport r = detector.Run(item);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].field, "prompt");
  EXPECT_EQ(r.findings[0].view, "base64");
  EXPECT_NE(r.findings[0].reason.find("read as base64"), std::string::npos);
}

TEST(TextDetector, NothingToReadIsAnEmptyReport) {
  testing::ScratchDir dir;
  TextDetector detector(Checker(dir));
  Item image_only;
  image_only.image = std::vector<uint8_t>{1, 2, 3};
  DetectorReport r = detector.Run(image_only);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(r.error);
}

TEST(TextDetector, TooLongIsAnErrorAndThePolicyHoldsIt) {
  testing::ScratchDir dir;
  TextDetector detector(Checker(dir, 32));
  Item item;
  item.text = std::string(33, 'x');
  DetectorReport r = detector.Run(item);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kLimitExceeded);
  const policy::CheckResult c =
      policy::RunCheck({&detector}, policy::Policy::Default(), item);
  EXPECT_EQ(c.verdict.action, policy::Action::kReview);
}

}  // namespace
}  // namespace bulwark::detect

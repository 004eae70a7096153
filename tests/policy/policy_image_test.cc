// The [image] section: how classifier scores combine with signs of youth
// and the item's direction, with synthetic findings (no model runs here).
#include <gtest/gtest.h>

#include <string>

#include "bulwark/policy/policy.h"
#include "policy/policy_expect.h"

namespace bulwark::policy {
namespace {

using detect::Direction;

detect::Finding Score(const std::string& signal, double score) {
  detect::Finding f;
  f.detector = "classifier";
  f.kind = "image.class";
  f.category = signal;
  f.score = score;
  f.reason = "model m: " + signal;
  return f;
}

detect::Finding TextRule(const std::string& rule) {
  detect::Finding f;
  f.detector = "text";
  f.kind = "text.rule";
  f.category = rule;
  f.field = "prompt";
  f.reason = "text rule " + rule + " in prompt";
  return f;
}

std::vector<detect::DetectorReport> Reports(std::vector<detect::Finding> image,
                                            std::vector<detect::Finding> text) {
  detect::DetectorReport c, t;
  c.detector = "classifier";
  c.findings = std::move(image);
  t.detector = "text";
  t.findings = std::move(text);
  return {c, t};
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PolicyImage, DefaultModelIsTheShippedManifest) {
  const Policy p = Policy::Default();
  const ImagePolicy& image = p.image();
  EXPECT_NE(image.model.find("data/models/nsfwjs.toml"), std::string::npos)
      << image.model;
  EXPECT_EQ(image.sexual_signals,
            (std::vector<std::string>{"nsfw.porn", "nsfw.hentai"}));
  EXPECT_FALSE(image.rules.empty());
}

TEST(PolicyImage, HighSexualScoreWithYouthInThePromptBlocksAsSexualMinors) {
  const Verdict v = Policy::Default().Decide(
      Reports({Score("nsfw.porn", 0.93), Score("nsfw.sexy", 0.05)},
              {TextRule("minor-mentioned")}),
      Direction::kOutput);
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual/minors"});
  EXPECT_TRUE(Has(v.rules, "sexual-image-and-youth"));
  ASSERT_FALSE(v.reasons.empty());
  // The reason names both sides of the combination.
  const std::string& r = v.reasons.front();
  EXPECT_NE(r.find("nsfw.porn 0.93"), std::string::npos) << r;
  EXPECT_NE(r.find("minor-mentioned"), std::string::npos) << r;
}

TEST(PolicyImage, LowerScoreNeedsAClearYouthSignal) {
  const Policy p = Policy::Default();
  Verdict v = p.Decide(Reports({Score("nsfw.hentai", 0.6)},
                               {TextRule("age-under-18-mentioned")}),
                       Direction::kOutput);
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_TRUE(Has(v.rules, "likely-sexual-image-and-youth"));
  EXPECT_FALSE(Has(v.rules, "sexual-image-and-youth"));
  // The same score without youth: nothing.
  v = p.Decide(Reports({Score("nsfw.hentai", 0.6)}, {}), Direction::kOutput);
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_TRUE(v.categories.empty());
  EXPECT_TRUE(v.reasons.empty());
}

TEST(PolicyImage, SexualWithoutYouthIsFlaggedSexualAndAllowed) {
  const Verdict v = Policy::Default().Decide(
      Reports({Score("nsfw.porn", 0.95)}, {}), Direction::kOutput);
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual"});
  EXPECT_TRUE(Has(v.rules, "sexual-image"));
}

TEST(PolicyImage, NonSexualSignalsAreNotTheSexualScore) {
  // "sexy" and "drawing" are not in `sexual`: even at 0.99 with youth
  // they block nothing.
  const Verdict v = Policy::Default().Decide(
      Reports({Score("nsfw.sexy", 0.99), Score("nsfw.drawing", 0.99)},
              {TextRule("minor-mentioned")}),
      Direction::kOutput);
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_TRUE(v.categories.empty());
}

TEST(PolicyImage, UploadsAreHeldForReviewNeverBlockedOrReported) {
  const Policy p = Policy::Default();
  Verdict v = p.Decide(
      Reports({Score("nsfw.porn", 0.99)}, {TextRule("minor-mentioned")}),
      Direction::kInput);
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_TRUE(Has(v.categories, "sexual/minors"));
  v = p.Decide(Reports({Score("nsfw.porn", 0.9)}, {}), Direction::kInput);
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual"});
  // A training-data sample: no default image rule speaks about datasets.
  v = p.Decide(Reports({Score("nsfw.porn", 0.99)}, {}), Direction::kDataset);
  EXPECT_EQ(v.action, Action::kAllow);
}

TEST(PolicyImage, SignalTextRulesDecideNothingOnTheirOwn) {
  const Verdict v =
      Policy::Default().Decide(Reports({}, {TextRule("minor-mentioned")}));
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_TRUE(v.reasons.empty());
  EXPECT_TRUE(v.rules.empty());
}

const char* kText = R"(
[[text.rule]]
name = "minor-mentioned"
all = ["minor"]
action = "signal"
)";

TEST(PolicyImage, AgeModelSignalCountsFromItsThreshold) {
  auto p = Policy::Parse(std::string(kText) + R"(
[image]
model = ""
sexual = ["nsfw.porn"]
youth_signals = { "age.minor" = 0.5 }
[[image.rule]]
name = "r"
sexual_at_least = 0.8
youth_at_least = 0.5
action = "block"
category = "sexual/minors"
)");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->image().model, "");
  EXPECT_EQ(
      p->Decide(Reports({Score("nsfw.porn", 0.9), Score("age.minor", 0.7)}, {}))
          .action,
      Action::kBlock);
  EXPECT_EQ(
      p->Decide(Reports({Score("nsfw.porn", 0.9), Score("age.minor", 0.4)}, {}))
          .action,
      Action::kAllow);
  // No direction given in the rule: it applies to every direction.
  EXPECT_EQ(
      p->Decide(Reports({Score("nsfw.porn", 0.9), Score("age.minor", 0.7)}, {}),
                Direction::kDataset)
          .action,
      Action::kBlock);
}

TEST(PolicyImage, RelativeModelPathStartsAtThePolicyFile) {
  auto p = Policy::Parse(std::string(kText) + R"(
[image]
model = "models/m.toml"
sexual = ["nsfw.porn"]
[[image.rule]]
name = "r"
sexual_at_least = 0.9
action = "review"
)",
                         "/etc/bulwark");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->image().model, "/etc/bulwark/models/m.toml");
}

TEST(PolicyImage, StrictParsing) {
  const std::string text = kText;
  const std::string rule = R"(
[[image.rule]]
name = "r"
sexual_at_least = 0.8
)";
  ExpectInvalid(
      text + "[image]\nsexual = [\"a\"]" + rule + "action = \"report\"\n",
      "image.rule[1].action: an image rule cannot report");
  ExpectInvalid(text + "[image]\nsexual = [\"a\"]\nyouth_rules = [\"nope\"]\n",
                "no [[text.rule]] is named \"nope\"");
  ExpectInvalid(text + "[image]\nsexual = [\"a\"]\ncolour = 1\n",
                "image.colour: unknown key");
  ExpectInvalid(text +
                    "[image]\nsexual = [\"a\"]\n[[image.rule]]\nname = "
                    "\"r\"\naction = \"block\"\n",
                "missing \"sexual_at_least\"");
  ExpectInvalid(text + "[image]" + rule + "action = \"block\"\n",
                "image.sexual: missing");
  ExpectInvalid(text + "[image]\nsexual = [\"a\"]" + rule +
                    "action = \"block\"\nsexual_at_least_ = 2\n",
                "image.rule[1].sexual_at_least_: unknown key");
  ExpectInvalid(text +
                    "[image]\nsexual = [\"a\"]\n[[image.rule]]\nname = "
                    "\"r\"\nsexual_at_least = 1.5\naction = \"block\"\n",
                "image.rule[1].sexual_at_least");
  ExpectInvalid(text + "[image]\nsexual = [\"a\"]" + rule +
                    "action = \"block\"\ndirection = \"sideways\"\n",
                "must be input, output or dataset");
  ExpectInvalid(text +
                    "[image]\nsexual = [\"a\"]\n[[image.rule]]\nname = "
                    "\"minor-mentioned\"\nsexual_at_least = 0.5\naction = "
                    "\"block\"\n",
                "duplicate rule name \"minor-mentioned\"");
  ExpectInvalid(R"(
[[text.rule]]
name = "t"
all = ["minor"]
action = "signal"
category = "sexual/minors"
)",
                "flags no category");
}

}  // namespace
}  // namespace bulwark::policy

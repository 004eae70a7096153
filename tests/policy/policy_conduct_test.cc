// The [conduct] section: the shipped defaults, strict parsing, and the
// points a verdict earns.
#include <gtest/gtest.h>

#include <string>

#include "bulwark/policy/policy.h"
#include "policy/policy_expect.h"

namespace bulwark::policy {
namespace {

const char* kRule = R"(
[[rule]]
name = "known-csam"
when = { finding = "hash.match", category = "csam" }
action = "block"
category = "sexual/minors"
)";

Policy MustParse(const std::string& conduct) {
  auto p = Policy::Parse(std::string(kRule) + conduct);
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return p.ok() ? *p : Policy::Default();
}

TEST(PolicyConduct, DefaultEscalatesAndBansKnownCsamAtOnce) {
  const Policy p = Policy::Default();
  const ConductPolicy& c = p.conduct();
  ASSERT_TRUE(c.enabled);
  EXPECT_EQ(c.strike_ttl_ms, int64_t{90} * 86400 * 1000);
  EXPECT_EQ(c.ban_at_once, std::vector<std::string>{"known-csam"});
  ASSERT_EQ(c.thresholds.size(), 4u);
  EXPECT_EQ(c.thresholds[0].step, ConductStep::kWarn);
  EXPECT_EQ(c.thresholds[1].step, ConductStep::kThrottle);
  EXPECT_EQ(c.thresholds[1].per_minute, 6);
  EXPECT_EQ(c.thresholds[2].step, ConductStep::kSuspend);
  EXPECT_EQ(c.thresholds[2].duration_ms, int64_t{24} * 3600 * 1000);
  EXPECT_EQ(c.thresholds[3].step, ConductStep::kBan);
  EXPECT_FALSE(c.account_rate.limited());
  EXPECT_FALSE(c.api_key_rate.limited());
}

TEST(PolicyConduct, WithoutTheSectionConductIsOff) {
  EXPECT_FALSE(MustParse("").conduct().enabled);
}

TEST(PolicyConduct, PointsAreTheLargestWeightOfTheVerdictsCategories) {
  const Policy p = MustParse(R"(
[conduct]
[[conduct.weight]]
category = "sexual/minors"
block = 3
review = 1
[[conduct.weight]]
category = "violence"
block = 5
report = 7
)");
  Verdict v;
  v.action = Action::kBlock;
  v.categories = {"sexual/minors"};
  EXPECT_EQ(p.conduct().PointsFor(v), 3);
  v.categories = {"sexual/minors", "violence"};
  EXPECT_EQ(p.conduct().PointsFor(v), 5);
  v.action = Action::kReview;
  EXPECT_EQ(p.conduct().PointsFor(v), 1);
  v.action = Action::kReport;
  EXPECT_EQ(p.conduct().PointsFor(v), 7);
  v.categories = {"sexual/minors"};
  EXPECT_EQ(p.conduct().PointsFor(v), 3);  // report defaults to block's
  v.action = Action::kAllow;
  EXPECT_EQ(p.conduct().PointsFor(v), 0);
  v.action = Action::kBlock;
  v.categories = {"hate"};
  EXPECT_EQ(p.conduct().PointsFor(v), 0);
}

TEST(PolicyConduct, RateLimitsAndDurations) {
  const Policy p = MustParse(R"(
[conduct]
strike_ttl = "45m"
[conduct.rate_limit.account]
per_minute = 120
[conduct.rate_limit.api_key]
per_minute = 600
burst = 50
)");
  EXPECT_EQ(p.conduct().strike_ttl_ms, 45 * 60 * 1000);
  EXPECT_EQ(p.conduct().account_rate.per_minute, 120);
  EXPECT_EQ(p.conduct().account_rate.burst, 20);  // ten seconds' worth
  EXPECT_EQ(p.conduct().api_key_rate.burst, 50);
}

TEST(PolicyConduct, RulesRecordWhatFired) {
  const Policy p = Policy::Default();
  detect::DetectorReport r;
  r.detector = "hash";
  detect::Finding f;
  f.detector = "hash";
  f.kind = "hash.match";
  f.category = "csam";
  r.findings = {f, f};
  EXPECT_EQ(p.Decide({r}).rules, std::vector<std::string>{"known-csam"});
}

TEST(PolicyConduct, MistakesAreNamed) {
  const std::string head = std::string(kRule) + "[conduct]\n";
  ExpectInvalid(head + "ban_at_once = [\"no-such-rule\"]\n",
                "no rule is named \"no-such-rule\"");
  ExpectInvalid(head + "strike_ttl = \"3 weeks\"\n", "conduct.strike_ttl");
  ExpectInvalid(head + "strike_ttl = \"0d\"\n", "must be a duration");
  ExpectInvalid(head + "colour = 1\n", "unknown key");
  ExpectInvalid(head + "[[conduct.threshold]]\npoints = 3\n",
                "missing \"action\"");
  ExpectInvalid(head + "[[conduct.threshold]]\npoints = 3\naction = \"jail\"\n",
                "conduct.threshold[1].action");
  ExpectInvalid(
      head + "[[conduct.threshold]]\npoints = 3\naction = \"throttle\"\n",
      "needs \"per_minute\"");
  ExpectInvalid(
      head + "[[conduct.threshold]]\npoints = 3\naction = \"suspend\"\n",
      "needs \"duration\"");
  ExpectInvalid(head +
                    "[[conduct.threshold]]\npoints = 3\naction = \"warn\"\n"
                    "duration = \"1h\"\n",
                "duration to suspend");
  ExpectInvalid(head +
                    "[[conduct.threshold]]\npoints = 6\naction = \"ban\"\n"
                    "[[conduct.threshold]]\npoints = 3\naction = \"warn\"\n",
                "ascending order");
  ExpectInvalid(head +
                    "[[conduct.threshold]]\npoints = 3\naction = \"ban\"\n"
                    "[[conduct.threshold]]\npoints = 6\naction = \"warn\"\n",
                "as severe as the one before");
  ExpectInvalid(head + "[[conduct.weight]]\nblock = 3\n",
                "missing \"category\"");
  ExpectInvalid(head +
                    "[[conduct.weight]]\ncategory = \"a\"\nblock = 1\n"
                    "[[conduct.weight]]\ncategory = \"a\"\nblock = 2\n",
                "has two weights");
  ExpectInvalid(head + "[[conduct.weight]]\ncategory = \"a\"\nblock = -1\n",
                "conduct.weight[1].block");
  ExpectInvalid(head + "[conduct.rate_limit.user]\nper_minute = 1\n",
                "expected account or api_key");
  ExpectInvalid(head + "[conduct.rate_limit.account]\nburst = 5\n",
                "needs \"per_minute\"");
}

}  // namespace
}  // namespace bulwark::policy

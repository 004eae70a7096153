// The policy: the default decisions (block known CSAM, review when a
// detector fails: fail closed), the TOML format's strictness (errors name
// the key and line), and how several rules combine.
#include "bulwark/policy/policy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "policy/policy_expect.h"
#include "support/test_paths.h"

namespace bulwark::policy {
namespace {

detect::Finding Match(const std::string& category, double score = 1.0) {
  detect::Finding f;
  f.detector = "hash";
  f.kind = "hash.match";
  f.category = category;
  f.score = score;
  f.reason = "MD5 equal to entry 7 of bank b";
  return f;
}

detect::DetectorReport Report(std::vector<detect::Finding> findings) {
  detect::DetectorReport r;
  r.detector = "hash";
  r.findings = std::move(findings);
  return r;
}

Policy MustParse(const std::string& text) {
  auto p = Policy::Parse(text);
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return p.ok() ? *p : Policy::Default();
}

TEST(PolicyDefault, BlocksCsamMatchAsSexualMinors) {
  const Verdict v = Policy::Default().Decide({Report({Match("csam")})});
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_TRUE(v.flagged());
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual/minors"});
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0], "rule known-csam: MD5 equal to entry 7 of bank b");
}

TEST(PolicyDefault, OtherCategoriesAndNoFindingsAllow) {
  const Policy p = Policy::Default();
  EXPECT_EQ(p.Decide({Report({Match("test")})}).action, Action::kAllow);
  const Verdict none = p.Decide({Report({})});
  EXPECT_EQ(none.action, Action::kAllow);
  EXPECT_FALSE(none.flagged());
  EXPECT_TRUE(none.categories.empty());
  EXPECT_TRUE(none.reasons.empty());
  EXPECT_EQ(p.Decide({}).action, Action::kAllow);
}

TEST(PolicyDefault, FailedDetectorIsReviewNotAllow) {
  detect::DetectorReport r = Report({});
  r.error = MakeError(ErrorCode::kCorrupt, "PNG data ends early");
  const Verdict v = Policy::Default().Decide({r});
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_TRUE(v.categories.empty());
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0], "detector hash failed: PNG data ends early");
}

TEST(PolicyDefault, MatchAlongsideErrorStillBlocks) {
  detect::DetectorReport r = Report({Match("csam")});
  r.error = MakeError(ErrorCode::kCorrupt, "bad pixels");
  const Verdict v = Policy::Default().Decide({r});
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_EQ(v.reasons.size(), 2u);
}

TEST(PolicyDefault, ShippedFileEqualsDefault) {
  auto p = Policy::Load(testing::TestDataDir() + "/../../config/policy.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Policy d = Policy::Default();
  EXPECT_EQ(p->on_error(), d.on_error());
  ASSERT_EQ(p->rules().size(), d.rules().size());
  for (size_t i = 0; i < d.rules().size(); ++i) {
    const Rule &a = p->rules()[i], &b = d.rules()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.finding, b.finding);
    EXPECT_EQ(a.category, b.category);
    EXPECT_EQ(a.detector, b.detector);
    EXPECT_EQ(a.min_score, b.min_score);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.flag_category, b.flag_category);
  }
  ASSERT_EQ(p->text().rules.size(), d.text().rules.size());
  for (size_t i = 0; i < d.text().rules.size(); ++i) {
    EXPECT_EQ(p->text().rules[i].name, d.text().rules[i].name);
    EXPECT_EQ(p->text().rules[i].all, d.text().rules[i].all);
    EXPECT_EQ(p->text().rules[i].window, d.text().rules[i].window);
  }
  EXPECT_EQ(p->text().languages, d.text().languages);
}

TEST(PolicyParse, ReadsEveryKey) {
  const Policy p = MustParse(R"(
on_error = "block"
[[rule]]
name = "r1"
when = { finding = "hash.match", category = "ncii", detector = "hash", min_score = 0.5 }
action = "review"
category = "sexual"
)");
  EXPECT_EQ(p.on_error(), Action::kBlock);
  ASSERT_EQ(p.rules().size(), 1u);
  const Rule& r = p.rules()[0];
  EXPECT_EQ(r.name, "r1");
  EXPECT_EQ(r.finding, "hash.match");
  EXPECT_EQ(r.category, "ncii");
  EXPECT_EQ(r.detector, "hash");
  EXPECT_EQ(r.min_score, 0.5);
  EXPECT_EQ(r.action, Action::kReview);
  EXPECT_EQ(r.flag_category, "sexual");
}

TEST(PolicyParse, WhenAsSubTable) {
  const Policy p = MustParse(R"(
[[rule]]
name = "known-csam"
action = "block"
[rule.when]
finding = "hash.match"
category = "csam"
)");
  ASSERT_EQ(p.rules().size(), 1u);
  EXPECT_EQ(p.rules()[0].finding, "hash.match");
  EXPECT_EQ(p.rules()[0].category, "csam");
}

TEST(PolicyParse, LoadNamesFileAndLine) {
  const std::string path = ::testing::TempDir() + "/bulwark_policy_bad.toml";
  {
    std::ofstream out(path);
    out << "on_error = \"review\"\n\n[[rule]]\nname = \"x\"\nacton = 1\n";
  }
  auto p = Policy::Load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message,
            path +
                ": policy line 5: rule[1].acton: unknown key (expected "
                "name, when, action or category)");
}

TEST(PolicyParse, OnErrorDefaultsToReview) {
  const Policy p =
      MustParse("[[rule]]\nname = \"a\"\nwhen = {}\naction = \"block\"\n");
  EXPECT_EQ(p.on_error(), Action::kReview);
  EXPECT_EQ(p.rules()[0].flag_category, "");
}

TEST(PolicyParse, UnknownKeysNameKeyAndLine) {
  ExpectInvalid("on_eror = \"review\"\n", "line 1: on_eror: unknown key");
  ExpectInvalid("[[rule]]\nname = \"a\"\nwhen = {}\nacton = \"block\"\n",
                "line 4: rule[1].acton: unknown key");
  ExpectInvalid(
      "[[rule]]\nname = \"a\"\naction = \"block\"\n"
      "when = { catgory = \"csam\" }\n",
      "line 4: rule[1].when.catgory: unknown key");
}

TEST(PolicyParse, BadValuesNameKeyAndLine) {
  ExpectInvalid("on_error = \"deny\"\n", "line 1: on_error: must be one of");
  ExpectInvalid("on_error = 3\n", "on_error: must be one of");
  ExpectInvalid("[[rule]]\nname = \"a\"\nwhen = {}\naction = \"Block\"\n",
                "line 4: rule[1].action");
  ExpectInvalid(
      "[[rule]]\nname = \"a\"\naction = \"block\"\nwhen = { min_score = 2 }\n",
      "rule[1].when.min_score: must be a number from 0 to 1");
  ExpectInvalid(
      "[[rule]]\nname = \"a\"\naction = \"block\"\nwhen = { category = 1 }\n",
      "rule[1].when.category: must be a string");
  ExpectInvalid("[[rule]]\nname = \"a\"\naction = \"block\"\nwhen = 1\n",
                "rule[1].when: must be a table");
  ExpectInvalid("rule = 1\n", "rule: must be [[rule]] tables");
}

TEST(PolicyParse, MissingAndDuplicateRuleFields) {
  ExpectInvalid("[[rule]]\nwhen = {}\naction = \"block\"\n",
                "rule[1]: missing \"name\"");
  ExpectInvalid("[[rule]]\nname = \"a\"\naction = \"block\"\n",
                "rule[1]: missing \"when\"");
  ExpectInvalid("[[rule]]\nname = \"a\"\nwhen = {}\n",
                "rule[1]: missing \"action\"");
  ExpectInvalid(
      "[[rule]]\nname = \"a\"\nwhen = {}\naction = \"block\"\n"
      "[[rule]]\nname = \"a\"\nwhen = {}\naction = \"block\"\n",
      "line 5: rule[2]: duplicate rule name");
}

TEST(PolicyParse, SyntaxErrorsAndEmptyPolicies) {
  ExpectInvalid("on_error = \n", "line 1: syntax:");
  ExpectInvalid("x = [\n\n", "syntax:");
  ExpectInvalid("", "no [[rule]]");
  ExpectInvalid("on_error = \"block\"\n", "no [[rule]]");
}

TEST(PolicyParse, LoadNamesTheFile) {
  auto p = Policy::Load("/nonexistent/policy.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("/nonexistent/policy.toml"),
            std::string::npos);
}

TEST(PolicyDecide, MostSevereWinsAndCategoriesAccumulate) {
  const Policy p = MustParse(R"(
[[rule]]
name = "known-csam"
when = { finding = "hash.match", category = "csam" }
action = "block"
category = "sexual/minors"

[[rule]]
name = "confirmed"
when = { category = "confirmed" }
action = "report"
category = "sexual/minors"

[[rule]]
name = "ncii"
when = { finding = "hash.match", category = "ncii" }
action = "review"
category = "sexual"
)");
  Verdict v = p.Decide({Report({Match("ncii")})});
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual"});

  v = p.Decide({Report({Match("ncii"), Match("csam")})});
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_EQ(v.categories,
            (std::vector<std::string>{"sexual", "sexual/minors"}));
  EXPECT_EQ(v.reasons.size(), 2u);

  // Two reports, three findings: report wins, sexual/minors once.
  v = p.Decide(
      {Report({Match("csam"), Match("ncii")}), Report({Match("confirmed")})});
  EXPECT_EQ(v.action, Action::kReport);
  EXPECT_EQ(v.categories,
            (std::vector<std::string>{"sexual", "sexual/minors"}));
  EXPECT_EQ(v.reasons.size(), 3u);
}

TEST(PolicyDecide, ConditionsMustAllHold) {
  const Policy p = MustParse(R"(
[[rule]]
name = "other-detector"
when = { detector = "classifier", category = "csam" }
action = "block"
)");
  EXPECT_EQ(p.Decide({Report({Match("csam")})}).action, Action::kAllow);
}

TEST(PolicyDecide, MinScore) {
  const Policy p = MustParse(R"(
[[rule]]
name = "confident"
when = { category = "csam", min_score = 0.9 }
action = "block"
category = "sexual/minors"
)");
  EXPECT_EQ(p.Decide({Report({Match("csam", 0.5)})}).action, Action::kAllow);
  EXPECT_EQ(p.Decide({Report({Match("csam", 0.9)})}).action, Action::kBlock);
  EXPECT_EQ(p.Decide({Report({Match("csam", 1.0)})}).action, Action::kBlock);
}

TEST(PolicyDecide, OnErrorIsConfigurable) {
  const Policy p = MustParse(R"(
on_error = "block"
[[rule]]
name = "a"
when = { category = "csam" }
action = "report"
)");
  detect::DetectorReport failed = Report({});
  failed.error = MakeError(ErrorCode::kCorrupt, "x");
  EXPECT_EQ(p.Decide({failed}).action, Action::kBlock);
  EXPECT_EQ(p.Decide({failed, Report({Match("csam")})}).action,
            Action::kReport);
}

}  // namespace
}  // namespace bulwark::policy

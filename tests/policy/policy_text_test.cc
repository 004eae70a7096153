// The policy's [text] section: keys, strictness, paths, and how text rules
// become policy rules acting on the text detector's findings.
#include <gtest/gtest.h>

#include <string>

#include "bulwark/policy/policy.h"
#include "policy/policy_expect.h"
#include "support/scratch_dir.h"

namespace bulwark::policy {
namespace {

const char* kHashRule =
    "[[rule]]\nname = \"h\"\nwhen = { finding = \"hash.match\" }\n"
    "action = \"block\"\n";

detect::Finding TextFinding(const std::string& rule) {
  detect::Finding f;
  f.detector = "text";
  f.kind = "text.rule";
  f.category = rule;
  f.reason = "text rule " + rule;
  return f;
}

TEST(PolicyText, ReadsEveryKeyAndMakesAPolicyRulePerTextRule) {
  auto p = Policy::Parse(R"(
[text]
lexicons = "/srv/lex"
languages = ["en", "de"]
[[text.rule]]
name = "a-and-b"
all = ["a", "b"]
window = 7
age_below = 16
action = "review"
category = "sexual/minors"
)");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const text::TextCheckerOptions& t = p->text();
  EXPECT_EQ(t.lexicon_dir, "/srv/lex");
  EXPECT_EQ(t.languages, (std::vector<std::string>{"en", "de"}));
  ASSERT_EQ(t.rules.size(), 1u);
  EXPECT_EQ(t.rules[0].name, "a-and-b");
  EXPECT_EQ(t.rules[0].all, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.rules[0].window, 7);
  EXPECT_EQ(t.rules[0].age_below, 16);
  ASSERT_EQ(p->rules().size(), 1u);
  const Rule& r = p->rules()[0];
  EXPECT_EQ(r.finding, "text.rule");
  EXPECT_EQ(r.detector, "text");
  EXPECT_EQ(r.category, "a-and-b");
  EXPECT_EQ(r.action, Action::kReview);

  const Verdict v = p->Decide({{"text", {TextFinding("a-and-b")}, {}, {}}});
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual/minors"});
  EXPECT_EQ(p->Decide({{"text", {TextFinding("other")}, {}, {}}}).action,
            Action::kAllow);
}

TEST(PolicyText, AllowRuleLabelsWithoutHolding) {
  auto p = Policy::Parse(R"(
[[text.rule]]
name = "s"
all = ["sexual"]
action = "allow"
category = "sexual"
)");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Verdict v = p->Decide({{"text", {TextFinding("s")}, {}, {}}});
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_FALSE(v.flagged());
  EXPECT_EQ(v.categories, std::vector<std::string>{"sexual"});
}

TEST(PolicyText, RelativeLexiconsStartAtThePolicyFile) {
  testing::ScratchDir dir;
  dir.Write("conf/policy.toml",
            std::string(kHashRule) + "[text]\nlexicons = \"lex\"\n");
  auto p = Policy::Load(dir / "conf/policy.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->text().lexicon_dir, dir / "conf/lex");
  EXPECT_TRUE(p->text().rules.empty());
}

TEST(PolicyText, DefaultPolicyHasTextRulesOverTheShippedLexicons) {
  const Policy d = Policy::Default();
  EXPECT_EQ(d.text().lexicon_dir,
            std::string(BULWARK_SOURCE_DIR) + "/data/lexicons");
  ASSERT_GE(d.text().rules.size(), 3u);
  EXPECT_EQ(d.text().rules[0].name, "minor-and-sexual");
  EXPECT_EQ(d.text().languages.size(), 6u);
}

TEST(PolicyText, Strictness) {
  ExpectInvalid("[text]\nlexcons = \"x\"\n", "text.lexcons: unknown key");
  ExpectInvalid("[text]\nlanguages = []\n", "non-empty array");
  ExpectInvalid("[text]\nlanguages = [1]\n", "must be a string");
  const std::string rule = "[[text.rule]]\nname = \"r\"\nall = [\"a\"]\n";
  ExpectInvalid(rule + "action = \"block\"\nwindow = 0\n",
                "text.rule[1].window: must be a whole number from 1");
  ExpectInvalid(rule + "action = \"block\"\nage_below = 200\n",
                "text.rule[1].age_below");
  ExpectInvalid(rule, "text.rule[1]: missing \"action\"");
  ExpectInvalid("[[text.rule]]\nname = \"r\"\naction = \"block\"\n",
                "missing \"all\"");
  ExpectInvalid(rule + "action = \"block\"\nalll = 1\n",
                "text.rule[1].alll: unknown key");
  ExpectInvalid("[[rule]]\nname = \"r\"\nwhen = {}\naction = \"block\"\n" +
                    rule + "action = \"block\"\n",
                "duplicate rule name \"r\"");
}

}  // namespace
}  // namespace bulwark::policy

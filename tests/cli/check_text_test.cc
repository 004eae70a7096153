// `bulwark check text`: verdicts, exit statuses, JSON evidence, --file,
// --explain, and usage errors, with a placeholder policy and lexicon.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/cli_runner.h"
#include "support/scratch_dir.h"
#include "support/test_lexicon.h"

namespace bulwark {
namespace {

namespace json = boost::json;

class CheckText : public ::testing::Test {
 protected:
  void SetUp() override { policy_ = testing::WritePlaceholderPolicy(dir_); }
  testing::RunResult Check(const std::string& args,
                           const std::string& in = "") {
    return testing::Bulwark("check text --policy " + policy_ + " --data " +
                                dir_ / "data" + " " + args,
                            in);
  }
  testing::ScratchDir dir_;
  std::string policy_;
};

TEST_F(CheckText, VerdictsAndExitStatus) {
  auto blocked = Check("'banana photo of an 4ppl3'");
  EXPECT_EQ(blocked.status, 3) << blocked.err;
  EXPECT_EQ(blocked.out.rfind("block sexual sexual/minors\n", 0), 0u)
      << blocked.out;
  EXPECT_NE(blocked.out.find("rule minor-and-sexual"), std::string::npos);

  auto labelled = Check("'banana bread, banana'");
  EXPECT_EQ(labelled.status, 0) << labelled.err;
  EXPECT_EQ(labelled.out.rfind("allow sexual\n", 0), 0u) << labelled.out;

  auto clean = Check("'a photo of an apple'");
  EXPECT_EQ(clean.status, 0);
  EXPECT_EQ(clean.out, "allow\n");
}

TEST_F(CheckText, JsonCarriesEvidenceWithTheOriginalText) {
  auto r = Check(
      "--format json --explain 'banana \xE2\x80\x8B"
      "apple'");
  ASSERT_EQ(r.status, 3) << r.err;
  json::object o = json::parse(r.out).as_object();
  EXPECT_EQ(o.at("verdict").as_string(), "block");
  const json::array& findings = o.at("findings").as_array();
  ASSERT_FALSE(findings.empty());
  const json::object& f = findings[0].as_object();
  EXPECT_EQ(f.at("rule").as_string(), "minor-and-sexual");
  EXPECT_EQ(f.at("evidence").at(0).at("original").as_string(), "apple");
  EXPECT_EQ(f.at("evidence").at(1).at("original").as_string(), "banana");
  bool removed_zero_width = false;
  for (const auto& c : o.at("changes").as_array()) {
    removed_zero_width |= c.at("step").as_string() == "invisible";
  }
  EXPECT_TRUE(removed_zero_width) << r.out;
}

TEST_F(CheckText, FileAndStdinAndPromptField) {
  dir_.Write("p.txt", "zorbix\n");
  EXPECT_EQ(Check("--file " + dir_ / "p.txt").status, 3);
  EXPECT_EQ(Check("--file -", "apple banana").status, 3);
  auto prompt = Check("--prompt --format json 'apple banana'");
  ASSERT_EQ(prompt.status, 3);
  EXPECT_EQ(
      json::parse(prompt.out).at("findings").at(0).at("field").as_string(),
      "prompt");
}

TEST_F(CheckText, UsageErrors) {
  EXPECT_EQ(Check("").status, 2);
  EXPECT_EQ(Check("'x' --file " + dir_ / "p.txt").status, 2);
  EXPECT_EQ(Check("--file /nonexistent/x.txt").status, 2);
  dir_.Write("bad.toml",
             "[text]\nlexicons = \"nowhere\"\n[[text.rule]]\n"
             "name = \"r\"\nall = [\"minor\"]\naction = \"block\"\n");
  auto r = testing::Bulwark("check text --policy " + dir_ / "bad.toml" +
                            " --data " + dir_ / "data" + " hello");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("text detector"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bulwark

// `bulwark redteam text` end to end, against the in-test moderation
// endpoint (which blocks any input holding "hello"): exit statuses, the
// four output files, the key from the environment.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <sstream>

#include "redteam/moderation_server.h"
#include "support/cli_runner.h"
#include "support/scratch_dir.h"

namespace bulwark::redteam {
namespace {

using bulwark::testing::Bulwark;
using bulwark::testing::ScratchDir;
using bulwark::testing::Slurp;
using test_support::ModerationServer;

class RedteamCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("seeds.txt", "# seeds\n@g = hello | hello there\n{g} world\n");
    dir_.Write("benign.txt", "good morning\nan example phrase\n");
  }
  std::string Files() const {
    return "--seeds " + dir_ / "seeds.txt" + " --benign " + dir_ / "benign.txt";
  }
  ScratchDir dir_;
  ModerationServer server_;
};

TEST_F(RedteamCommandTest, PassingRunWritesEveryReport) {
  auto r =
      Bulwark("redteam text " + Files() + " --target " +
              server_.Url("/v1/moderations") +
              " --converters word-join --jobs 2 --json " + dir_ / "r.json" +
              " --markdown " + dir_ / "r.md" + " --junit " + dir_ / "r.xml" +
              " --emit-variants " + dir_ / "v.jsonl");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all floors hold"), std::string::npos) << r.out;

  const boost::json::value json = boost::json::parse(Slurp(dir_ / "r.json"));
  EXPECT_EQ(json.at("variants").as_int64(), 4);
  EXPECT_EQ(json.at("blocked").as_int64(), 4);
  EXPECT_TRUE(json.at("floors_hold").as_bool());
  EXPECT_NE(Slurp(dir_ / "r.md").find("**All floors hold.**"),
            std::string::npos);
  EXPECT_NE(Slurp(dir_ / "r.xml").find("failures=\"0\""), std::string::npos);

  std::istringstream lines(Slurp(dir_ / "v.jsonl"));
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 2u + 4u);
  EXPECT_EQ(rows[0],
            "{\"set\":\"benign\",\"seed\":0,\"chain\":\"\",\"depth\":0,"
            "\"text\":\"good morning\"}");
  EXPECT_EQ(rows[5],
            "{\"set\":\"seed\",\"seed\":1,\"chain\":\"word-join\",\"depth\":1,"
            "\"text\":\"hellothereworld\"}");
}

TEST_F(RedteamCommandTest, MissedFloorExitsOne) {
  auto r =
      Bulwark("redteam text " + Files() + " --target " +
              server_.Url("/v1/moderations") +
              " --converters rot13,hex --depth 2 --junit " + dir_ / "r.xml");
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("MISSED depth1 rot13: 0.00% < 99.00%"),
            std::string::npos)
      << r.out;
  const std::string xml = Slurp(dir_ / "r.xml");
  EXPECT_NE(xml.find("<testcase classname=\"redteam.depth2\" name=\"all\" "
                     "time=\"0\">\n      <failure"),
            std::string::npos)
      << xml;
  // Each converter's own depth-2 group is reported, enforced only on request.
  EXPECT_EQ(xml.find("<testcase classname=\"redteam.depth2\" name=\"with "
                     "hex\" time=\"0\">\n      <failure"),
            std::string::npos)
      << xml;
  r = Bulwark("redteam text " + Files() + " --target " +
              server_.Url("/v1/moderations") +
              " --converters rot13,hex --depth 2 --min-block-rate-depth1 0 "
              "--min-block-rate-depth2 0 --min-block-rate-each-depth2 0.5");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("MISSED depth2 with hex"), std::string::npos) << r.out;
  // Floors are the caller's: with none asked for, the same run passes.
  r = Bulwark("redteam text " + Files() + " --target " +
              server_.Url("/v1/moderations") +
              " --converters rot13,hex --depth 2 --min-block-rate-depth1 0 "
              "--min-block-rate-depth2 0");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST_F(RedteamCommandTest, KeyFromTheEnvironment) {
  const std::string args = "redteam text " + Files() + " --converters none " +
                           "--target " + server_.Url("/auth");
  auto r = Bulwark(args);
  EXPECT_EQ(r.status, 1) << r.out;  // every check refused: errors count
  EXPECT_NE(r.out.find("2 errors"), std::string::npos) << r.out;
  ::setenv("BULWARK_REDTEAM_KEY", "k1", 1);
  r = Bulwark(args);
  ::unsetenv("BULWARK_REDTEAM_KEY");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST_F(RedteamCommandTest, UsageErrorsExitTwo) {
  const std::string target = " --target " + server_.Url("/v1/moderations");
  for (const std::string& args : {
           Files() + target + " --converters leetspeak,l33t",
           // "none" alone, not inside a list.
           Files() + target + " --converters word-join,none",
           Files() + target + " --depth 4",
           Files() + " --target ftp://example/",
           "--seeds " + dir_ / "missing.txt" + " --benign " +
               dir_ / "benign.txt" + target,
           Files() + target + " --min-block-rate-depth1 1.5",
       }) {
    auto r = Bulwark("redteam text " + args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
  }
  dir_.Write("bad.txt", "ok\n{undefined}\n");
  auto r = Bulwark("redteam text --seeds " + dir_ / "bad.txt" + " --benign " +
                   dir_ / "benign.txt" + target);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.txt: line 2: slot {undefined} is not defined"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Bulwark("redteam").status, 2);
  r = Bulwark("redteam text --help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Exit status"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::redteam

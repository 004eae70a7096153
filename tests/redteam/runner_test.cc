// The runner over function targets: what is counted where, errors never
// counted as blocked, variants emitted in order, and the reports built from
// the counts.
#include "bulwark/redteam/runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>

#include "bulwark/redteam/report.h"

namespace bulwark::redteam {
namespace {

// Blocks any text that still reads "hello" literally; flags (review) text
// with "example"; fails on text holding "boom".
Result<Outcome> Naive(std::string_view text) {
  if (text.find("boom") != std::string_view::npos) {
    return MakeError(ErrorCode::kIo, "the target fell over");
  }
  Outcome o;
  o.blocked = text.find("hello") != std::string_view::npos;
  o.flagged = o.blocked || text.find("example") != std::string_view::npos;
  o.detail = o.blocked ? "rule hello" : "";
  return o;
}

class RunnerTest : public ::testing::Test {
 protected:
  std::vector<std::unique_ptr<Converter>> all_ = MakeConverters({});
  Chain Pick(std::string_view list) {
    auto c = SelectConverters(list, all_);
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : Chain{};
  }
};

TEST_F(RunnerTest, EnumeratesOrderedChainsOfDistinctConverters) {
  const Chain three = Pick("hex,rot13,reversal");
  std::vector<std::string> names;
  for (const Chain& c : EnumerateChains(three, 2))
    names.push_back(ChainName(c));
  EXPECT_EQ(names, (std::vector<std::string>{
                       "none", "hex", "rot13", "reversal", "hex>rot13",
                       "hex>reversal", "rot13>hex", "rot13>reversal",
                       "reversal>hex", "reversal>rot13"}));
  EXPECT_EQ(EnumerateChains(three, 3).size(), 1u + 3 + 6 + 6);
  EXPECT_EQ(EnumerateChains(Pick("all"), 2).size(), 1u + 22 + 22 * 21);
}

TEST_F(RunnerTest, CountsPerChainAndMisses) {
  auto target = MakeFunctionTarget("naive", Naive);
  const std::vector<std::string> seeds = {"hello world", "say hello"};
  const std::vector<std::string> benign = {"good morning", "an example",
                                           "boom"};
  RunOptions options;
  options.depth = 2;
  options.seed = 5;
  std::vector<Variant> emitted;
  auto report = RunRedteam(seeds, benign, Pick("rot13,reversal"), options,
                           *target, [&](const Variant& v) -> Status {
                             emitted.push_back(v);
                             return Ok{};
                           });
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  const RunReport& r = *report;
  ASSERT_EQ(r.chains.size(), 5u);  // none, rot13, reversal, both orders
  EXPECT_EQ(r.chains[0].chain, "none");
  EXPECT_EQ(r.chains[0].blocked, 2u);
  EXPECT_EQ(r.chains[1].chain, "rot13");
  EXPECT_EQ(r.chains[1].blocked, 0u);
  EXPECT_EQ(r.chains[1].variants, 2u);
  EXPECT_EQ(r.Variants(), 10u);
  EXPECT_EQ(r.Blocked(), 2u);
  EXPECT_DOUBLE_EQ(r.AttackSuccessRate(), 0.8);
  EXPECT_EQ(r.misses.size(), 8u);
  EXPECT_EQ(r.misses[0].prompt, 0u);
  EXPECT_EQ(r.misses[0].chain, "rot13");
  EXPECT_EQ(r.misses[0].text, "uryyb jbeyq");

  // Benign: one flagged, one error; both count against the FP rate.
  EXPECT_EQ(r.benign_prompts, 3u);
  EXPECT_EQ(r.benign_flagged, 1u);
  EXPECT_EQ(r.benign_errors, 1u);
  EXPECT_DOUBLE_EQ(r.FalsePositiveRate(), 2.0 / 3.0);
  ASSERT_EQ(r.false_positives.size(), 2u);
  EXPECT_EQ(r.false_positives[1].error, "io: the target fell over");

  // Benign first, then each seed's chains, in order.
  ASSERT_EQ(emitted.size(), 13u);
  EXPECT_TRUE(emitted[0].benign);
  EXPECT_EQ(emitted[3].chain, "none");
  EXPECT_EQ(emitted[3].text, "hello world");
  EXPECT_EQ(emitted[12].prompt, 1u);
  EXPECT_EQ(emitted[12].chain, "reversal>rot13");
  EXPECT_EQ(emitted[12].depth, 2);
  EXPECT_EQ(VariantJsonLine(emitted[12]),
            "{\"set\":\"seed\",\"seed\":1,\"chain\":\"reversal>rot13\","
            "\"depth\":2,\"text\":\"byyru lnf\"}");
  EXPECT_EQ(VariantJsonLine(emitted[0]),
            "{\"set\":\"benign\",\"seed\":0,\"chain\":\"\",\"depth\":0,"
            "\"text\":\"good morning\"}");
}

TEST_F(RunnerTest, TargetErrorsAreNeverBlocked) {
  auto target =
      MakeFunctionTarget("down", [](std::string_view) -> Result<Outcome> {
        return MakeError(ErrorCode::kIo, "connection refused");
      });
  auto report = RunRedteam({"hello"}, {}, Pick("hex"), RunOptions{}, *target);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->Errors(), 2u);
  EXPECT_EQ(report->Blocked(), 0u);
  EXPECT_DOUBLE_EQ(report->AttackSuccessRate(), 1.0);
  EXPECT_EQ(report->misses.size(), 2u);
}

TEST_F(RunnerTest, SameSeedSameVariantsAndReproducible) {
  auto target = MakeFunctionTarget("naive", Naive);
  const Chain chain = Pick("leetspeak,zalgo");
  RunOptions options{.depth = 2, .seed = 77};
  auto a = RunRedteam({"hello world", "example phrase"}, {}, chain, options,
                      *target);
  auto b = RunRedteam({"hello world", "example phrase"}, {}, chain, options,
                      *target);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->misses.size(), b->misses.size());
  for (size_t i = 0; i < a->misses.size(); ++i) {
    EXPECT_EQ(a->misses[i].text, b->misses[i].text);
    // (run seed, prompt, chain) is enough to rebuild the variant.
    auto parsed = ParseChain(a->misses[i].chain, all_);
    ASSERT_TRUE(parsed.ok());
    const std::string seed_text =
        a->misses[i].prompt == 0 ? "hello world" : "example phrase";
    EXPECT_EQ(
        ApplyChain(*parsed, seed_text, VariantSeed(77, a->misses[i].prompt)),
        a->misses[i].text);
  }
}

TEST_F(RunnerTest, ParallelChecksGiveTheSameReport) {
  // Concurrent, so --jobs applies.
  class Counting : public Target {
   public:
    std::string name() const override { return "counting"; }
    bool concurrent() const override { return true; }
    Result<Outcome> Check(std::string_view text) override {
      ++calls;
      return Naive(text);
    }
    std::atomic<int> calls{0};
  } target;
  const std::vector<std::string> seeds = {"hello world", "hello there",
                                          "a hello"};
  const Chain chain = Pick("all");
  auto serial = RunRedteam(seeds, {"x"}, chain, RunOptions{.depth = 2}, target);
  auto parallel = RunRedteam(seeds, {"x"}, chain,
                             RunOptions{.depth = 2, .jobs = 4}, target);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(ReportJson(*serial, CheckFloors(*serial, {})),
            ReportJson(*parallel, CheckFloors(*parallel, {})));
  EXPECT_EQ(target.calls.load(), 2 * (1 + 3 * (1 + 22 + 22 * 21)));
}

TEST_F(RunnerTest, ReportsProgress) {
  auto target = MakeFunctionTarget("naive", Naive);
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  RunOptions options{.depth = 2};
  options.progress = [&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
  };
  auto report =
      RunRedteam({"a", "b", "c"}, {"d"}, Pick("all"), options, *target);
  ASSERT_TRUE(report.ok());
  const uint64_t total = 1 + 3 * (1 + 22 + 22 * 21);
  EXPECT_EQ(calls, (std::vector<std::pair<uint64_t, uint64_t>>{
                       {1000, total}, {total, total}}));
}

TEST_F(RunnerTest, SinkErrorStopsTheRun) {
  auto target = MakeFunctionTarget("naive", Naive);
  int calls = 0;
  auto report = RunRedteam({"hello"}, {}, Pick("hex,rot13"), RunOptions{},
                           *target, [&](const Variant&) -> Status {
                             if (++calls == 2) {
                               return MakeError(ErrorCode::kIo, "disk full");
                             }
                             return Ok{};
                           });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, "disk full");
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(
      RunRedteam({"hello"}, {}, Pick("hex"), RunOptions{.depth = 4}, *target)
          .ok());
}

TEST_F(RunnerTest, FloorsAndReports) {
  auto target = MakeFunctionTarget("naive", Naive);
  auto report = RunRedteam(
      {"hello world", "hello example"}, {"good morning", "an example"},
      Pick("rot13,random-caps,spacing"), RunOptions{.depth = 2}, *target);
  ASSERT_TRUE(report.ok());
  Floors floors;
  floors.max_false_positive_rate = 0.5;
  const std::vector<FloorCheck> checks = CheckFloors(*report, floors);
  // none + 3 singles, depth-2 "all" + 3 "with", benign.
  ASSERT_EQ(checks.size(), 4u + 4u + 1u);
  EXPECT_EQ(checks[0].group.name, "none");
  EXPECT_TRUE(checks[0].ok);
  EXPECT_EQ(checks[1].group.name, "rot13");
  EXPECT_FALSE(checks[1].ok);
  EXPECT_EQ(checks[4].group.suite, "depth2");
  EXPECT_EQ(checks[4].group.name, "all");
  EXPECT_EQ(checks[4].group.variants, 12u);
  EXPECT_EQ(checks[5].group.name, "with rot13");
  EXPECT_EQ(checks[5].group.variants, 8u);
  EXPECT_TRUE(checks.back().ceiling);
  EXPECT_DOUBLE_EQ(checks.back().value, 0.5);
  EXPECT_TRUE(checks.back().ok);
  EXPECT_FALSE(AllHold(checks));

  const std::string json = ReportJson(*report, checks);
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  ASSERT_FALSE(ec) << json;
  EXPECT_EQ(v.at("variants").as_int64(), 2 * 10);
  EXPECT_EQ(v.at("floors_hold").as_bool(), false);
  EXPECT_EQ(v.at("chains").as_array().size(), 10u);
  EXPECT_EQ(v.at("misses").as_array().size(), report->misses.size());

  const std::string md = ReportMarkdown(*report, checks, 3);
  EXPECT_NE(md.find("| rot13 | 2 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("**BELOW FLOOR**"), std::string::npos);
  EXPECT_NE(
      md.find("…and " + std::to_string(report->misses.size() - 3) + " more"),
      std::string::npos)
      << md;

  const std::string xml = ReportJunit(*report, checks);
  EXPECT_NE(xml.find("<testsuite name=\"redteam.depth1\" tests=\"4\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"rot13\" time=\"0\">\n      <failure"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"redteam.benign\""),
            std::string::npos);
}

TEST(ReportTest, InvisibleCharactersAreShownAndXmlIsEscaped) {
  RunReport r;
  r.target = "t";
  r.converters = {"zero-width"};
  r.chains.push_back(ChainStats{"none", {}, 1, 0, 0, 0});
  r.misses.push_back(
      Miss{0, "none", 0, "a\xE2\x80\x8B<b>&\x01", false, "", ""});
  const auto checks = CheckFloors(r, {});
  const std::string xml = ReportJunit(r, checks);
  EXPECT_NE(xml.find("a\\u{200B}&lt;b&gt;&amp;\\u{0001}"), std::string::npos)
      << xml;
  const std::string md = ReportMarkdown(r, checks, 10);
  EXPECT_NE(md.find("a\\u{200B}<b>&\\u{0001}"), std::string::npos) << md;
}

}  // namespace
}  // namespace bulwark::redteam

// `bulwark scan` end to end: a WebDataset-style dataset of benign images, a
// bank built from the hashes of a known subset, and the reports a curator
// acts on, under a single run, a killed and resumed run, partitions merged,
// and a 2-rank MPI job.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "bulwark/scan/shard_result.h"
#include "support/cli_runner.h"
#include "support/process.h"
#include "support/scan_dataset.h"
#include "support/tar_builder.h"

namespace bulwark {
namespace {
namespace fs = std::filesystem;

using testing::Bulwark;
using testing::RunResult;
using testing::Scratch;
using testing::Slurp;

std::set<std::string> Lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.insert(line);
  }
  return out;
}

std::vector<boost::json::object> JsonLines(const std::string& path) {
  std::vector<boost::json::object> out;
  std::istringstream in(Slurp(path));
  for (std::string line; std::getline(in, line);) {
    out.push_back(boost::json::parse(line).as_object());
  }
  return out;
}

std::string Str(const boost::json::object& o, const char* key) {
  return std::string(o.at(key).as_string());
}

// The parts of a report that must not depend on how the scan was run
// (timings aside).
struct Report {
  std::string matches, errors, removal;
  std::map<std::string, scan::ShardStats> stats;
};

Report ReadReport(const std::string& out) {
  Report r{Slurp(out + "/matches.jsonl"),
           Slurp(out + "/errors.jsonl"),
           Slurp(out + "/removal.txt"),
           {}};
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 11 && name.ends_with("_stats.json")) {
      auto s = scan::ParseShardStats(Slurp(e.path().string()));
      EXPECT_TRUE(s.ok()) << name;
      if (s.ok()) r.stats[s->id] = *s;
    }
  }
  return r;
}

void ExpectSameReport(const Report& a, const Report& b) {
  EXPECT_EQ(a.matches, b.matches);
  EXPECT_EQ(a.errors, b.errors);
  EXPECT_EQ(a.removal, b.removal);
  ASSERT_EQ(a.stats.size(), b.stats.size());
  for (const auto& [id, s] : a.stats) {
    ASSERT_TRUE(b.stats.count(id)) << id;
    EXPECT_TRUE(s.SameCounts(b.stats.at(id))) << id;
  }
}

class ScanCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::string(Scratch("scan"));
    data_ = new testing::ScanDataset(testing::BuildScanDataset(*root_ + "/ds"));
    store_ = new std::string(*root_ + "/data");
    fs::remove_all(*store_);
    std::string files;
    for (const std::string& f : data_->known_files) files += " " + f;
    ASSERT_EQ(
        Bulwark("bank create known --category test --data " + *store_).status,
        0);
    const std::string csv = *root_ + "/known.csv";
    ASSERT_EQ(Bulwark("hash -f csv" + files + " >" + csv).status, 0);
    ASSERT_EQ(Bulwark("bank import known " + csv + " --data " + *store_).status,
              0);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete data_;
    delete root_;
    delete store_;
  }

  static std::string Sources() {
    std::string s;
    for (const std::string& p : data_->shards) s += " " + p;
    return s + " " + data_->directory;
  }
  static RunResult Scan(const std::string& out, const std::string& extra = "") {
    return Bulwark("scan -q --data " + *store_ + " --out " + out + " " + extra +
                   Sources());
  }

  static std::string* root_;
  static std::string* store_;
  static testing::ScanDataset* data_;
};
std::string* ScanCommandTest::root_ = nullptr;
std::string* ScanCommandTest::store_ = nullptr;
testing::ScanDataset* ScanCommandTest::data_ = nullptr;

TEST_F(ScanCommandTest, ReportsExactlyTheKnownSubset) {
  const std::string out = *root_ + "/single";
  RunResult r = Scan(out);
  ASSERT_EQ(r.status, 3) << r.err;  // complete, samples to remove

  EXPECT_EQ(Lines(Slurp(out + "/removal.txt")), data_->removal());
  // Sorted, one per line.
  std::string sorted;
  for (const std::string& k : data_->removal()) sorted += k + "\n";
  EXPECT_EQ(Slurp(out + "/removal.txt"), sorted);

  std::map<std::string, std::set<std::string>> types;  // key -> hash types
  for (const auto& m : JsonLines(out + "/matches.jsonl")) {
    const std::string key = Str(m, "key");
    types[key].insert(Str(m, "type"));
    EXPECT_EQ(Str(m, "bank"), "known");
    EXPECT_GT(m.at("entry_id").as_int64(), 0);
    EXPECT_TRUE(m.contains("label"));
    EXPECT_TRUE(m.contains("offset"));
    EXPECT_FALSE(Str(m, "member").empty());
    EXPECT_FALSE(Str(m, "shard").empty());
    if (Str(m, "type") == "pdq") {
      EXPECT_LE(m.at("distance").as_int64(), 31);
      EXPECT_GE(m.at("quality").as_int64(), 50);
    } else {
      EXPECT_EQ(m.at("distance").as_int64(), 0);
    }
  }
  for (const std::string& k : data_->exact) {
    EXPECT_EQ(types[k], (std::set<std::string>{"md5", "sha1", "sha256", "pdq"}))
        << k;
  }
  for (const std::string& k : data_->near) {
    EXPECT_EQ(types[k], std::set<std::string>{"pdq"}) << k;
  }
  EXPECT_EQ(types.size(), data_->removal().size());

  std::set<std::string> broken;
  for (const auto& e : JsonLines(out + "/errors.jsonl")) {
    broken.insert(Str(e, "member"));
    EXPECT_FALSE(Str(e, "error").empty());
    EXPECT_FALSE(Str(e, "code").empty());
  }
  EXPECT_EQ(broken, data_->corrupt_members);

  const Report report = ReadReport(out);
  ASSERT_EQ(report.stats.size(), 4u);  // 3 shards and the directory
  uint64_t samples = 0;
  for (const auto& [id, s] : report.stats) {
    EXPECT_TRUE(s.complete) << id;
    EXPECT_GT(s.bytes, 0u) << id;
    samples += s.samples;
  }
  EXPECT_EQ(samples, static_cast<uint64_t>(data_->samples));
  EXPECT_EQ(report.stats.at("00000").hit_samples, 1u);
  EXPECT_EQ(report.stats.at("00001").errors, 1u);
  auto summary = boost::json::parse(Slurp(out + "/summary.json")).as_object();
  EXPECT_EQ(summary.at("hits").as_int64(),
            static_cast<int64_t>(data_->removal().size()));
  EXPECT_EQ(summary.at("samples").as_int64(), data_->samples);

  // No output carries image bytes: every file is text, and small.
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    const std::string text = Slurp(e.path().string());
    EXPECT_EQ(text.find('\0'), std::string::npos) << e.path();
    EXPECT_EQ(text.find("\xff\xd8\xff"), std::string::npos) << e.path();
  }
}

TEST_F(ScanCommandTest, FilteredShardsDropOnlyTheHitSamples) {
  const std::string out = *root_ + "/filtered-out";
  const std::string filtered = *root_ + "/filtered";
  // A finished scan asked again for filtered copies makes them: the shards
  // without a copy are scanned again.
  ASSERT_EQ(Scan(out).status, 3);
  RunResult r = Scan(out, "--write-filtered " + filtered);
  ASSERT_EQ(r.status, 3) << r.err;
  const std::set<std::string> removal = data_->removal();
  for (const std::string& shard : data_->shards) {
    const std::string copy =
        filtered + "/" + fs::path(shard).filename().string();
    ASSERT_TRUE(fs::exists(copy)) << copy;
    std::vector<testing::TarMember> expected;
    for (auto& m : testing::ReadTar(shard)) {
      const std::string key = m.name.substr(0, m.name.find('.'));
      if (!removal.count(key)) expected.push_back(std::move(m));
    }
    const auto got = testing::ReadTar(copy);
    ASSERT_EQ(got.size(), expected.size()) << copy;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].name, expected[i].name) << copy;
      EXPECT_EQ(got[i].bytes, expected[i].bytes) << copy << " " << got[i].name;
    }
  }
  EXPECT_FALSE(fs::exists(filtered + "/photos"));  // directories not copied
}

TEST_F(ScanCommandTest, PartitionsMergeToTheSingleRunReport) {
  const std::string single = *root_ + "/p-single";
  ASSERT_EQ(Scan(single).status, 3);
  std::vector<std::string> parts;
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    parts.push_back(*root_ + "/part" + std::to_string(i));
    RunResult r = Scan(parts.back(), "--partition " + std::to_string(i) + "/3");
    ASSERT_TRUE(r.status == 0 || r.status == 3) << r.err;
    auto ids = scan::ListShardResults(parts.back());
    ASSERT_TRUE(ids.ok());
    for (const std::string& id : *ids)
      EXPECT_TRUE(seen.insert(id).second) << id;
  }
  EXPECT_EQ(seen.size(), 4u);  // parts cover every shard once
  const std::string merged = *root_ + "/merged";
  RunResult m = Bulwark("scan merge -q --out " + merged + " " + parts[0] + " " +
                        parts[1] + " " + parts[2]);
  ASSERT_EQ(m.status, 3) << m.err;
  ExpectSameReport(ReadReport(single), ReadReport(merged));

  // Overlapping parts are refused, writing nothing.
  RunResult bad = Bulwark("scan merge -q --out " + *root_ + "/bad-merge " +
                          single + " " + parts[0]);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("must not overlap"), std::string::npos) << bad.err;
}

TEST_F(ScanCommandTest, MpiRunMatchesTheSingleRun) {
  const std::string single = *root_ + "/m-single";
  ASSERT_EQ(Scan(single).status, 3);
  const std::string out = *root_ + "/mpi";
  // The sanitizer build's leak check would count OpenMPI's own allocations.
  const std::string cmd =
      "mpirun --allow-run-as-root --oversubscribe -np 2 -x "
      "ASAN_OPTIONS=detect_leaks=0 " +
      testing::BulwarkBinary() + " scan --mpi -q --data " + *store_ +
      " --out " + out + Sources() + " >" + out + ".log 2>&1";
  const int raw = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(raw)) << Slurp(out + ".log");
  EXPECT_EQ(WEXITSTATUS(raw), 3) << Slurp(out + ".log");
  ExpectSameReport(ReadReport(single), ReadReport(out));
}

TEST_F(ScanCommandTest, ResumeSkipsFinishedShardsAndRefusesOtherSettings) {
  const std::string out = *root_ + "/resume";
  ASSERT_EQ(Scan(out).status, 3);
  const Report first = ReadReport(out);
  RunResult again =
      Bulwark("scan --data " + *store_ + " --out " + out + Sources());
  EXPECT_EQ(again.status, 3);
  EXPECT_NE(again.err.find("4 of 4 shards already done"), std::string::npos)
      << again.err;
  ExpectSameReport(first, ReadReport(out));
  for (const auto& [id, s] : ReadReport(out).stats) {
    EXPECT_EQ(s.start_time, first.stats.at(id).start_time) << id;  // skipped
  }
  RunResult other = Scan(out, "--pdq-mode cli512");
  EXPECT_EQ(other.status, 2);
  EXPECT_NE(other.err.find("other settings"), std::string::npos) << other.err;
  RunResult forced = Scan(out, "--force");
  EXPECT_EQ(forced.status, 3) << forced.err;
  for (const auto& [id, s] : ReadReport(out).stats) {
    EXPECT_GE(s.start_time, first.stats.at(id).start_time) << id;
  }
}

TEST_F(ScanCommandTest, UsageErrorsAreExplained) {
  RunResult no_out = Bulwark("scan --data " + *store_ + Sources());
  EXPECT_EQ(no_out.status, 2);
  EXPECT_NE(no_out.err.find("--out"), std::string::npos);
  RunResult bank = Scan(*root_ + "/u1", "--bank known --bank nosuch");
  EXPECT_EQ(bank.status, 2);
  EXPECT_NE(bank.err.find("nosuch"), std::string::npos) << bank.err;
  RunResult missing = Bulwark("scan -q --data " + *store_ + " --out " + *root_ +
                              "/u2 " + *root_ + "/nope.tar");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("nope.tar"), std::string::npos) << missing.err;
  // Scanning against no hashes at all is a mistake, not a clean result.
  RunResult empty = Bulwark("scan -q --data " + *root_ + "/empty-data --out " +
                            *root_ + "/u3" + Sources());
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.err.find("no enabled bank"), std::string::npos) << empty.err;
}

// Many shards and a kill at a random moment: the resumed run's report equals
// an uninterrupted run's, with no shard lost or counted twice.
TEST_F(ScanCommandTest, KilledRunResumesWithoutLossOrDuplicates) {
  const std::string bulk = *root_ + "/bulk";
  const auto shards = testing::BuildBulkShards(bulk, 24, 12, 1000);
  std::vector<std::string> args = {
      "scan",   "-q",    "--jobs", "1",
      "--data", *store_, "--out",  *root_ + "/killed"};
  args.insert(args.end(), shards.begin(), shards.end());
  std::vector<std::string> clean_args = args;
  clean_args[7] = *root_ + "/unkilled";

  testing::Child child =
      testing::Start(testing::BulwarkBinary(), args, *root_ + "/killed.log");
  // Kill as soon as the first shard is committed.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  size_t done = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto ids = scan::ListShardResults(*root_ + "/killed");
    done = ids.ok() ? ids->size() : 0;
    if (done > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(child.pid, SIGKILL);
  EXPECT_EQ(testing::Wait(child).status, -1);
  auto ids = scan::ListShardResults(*root_ + "/killed");
  ASSERT_TRUE(ids.ok());
  ASSERT_GE(ids->size(), 1u);
  ASSERT_LT(ids->size(), shards.size()) << "finished before the kill";

  testing::Exit resumed = testing::Wait(
      testing::Start(testing::BulwarkBinary(), args, *root_ + "/r.log"));
  EXPECT_EQ(resumed.status, 0) << Slurp(*root_ + "/r.log");
  testing::Exit clean = testing::Wait(
      testing::Start(testing::BulwarkBinary(), clean_args, *root_ + "/c.log"));
  EXPECT_EQ(clean.status, 0) << Slurp(*root_ + "/c.log");
  const Report a = ReadReport(*root_ + "/killed");
  EXPECT_EQ(a.stats.size(), shards.size());
  ExpectSameReport(a, ReadReport(*root_ + "/unkilled"));
  // The killed run's staging leftovers were cleared.
  EXPECT_TRUE(fs::is_empty(*root_ + "/killed/.staging"));
}

// Memory is bounded by the pipeline, not by the data: 100 shards holding
// ~120 MB of samples, copied to filtered shards (so every byte is read into
// memory), with a small in-flight budget.
TEST_F(ScanCommandTest, MemoryStaysBoundedOverAHundredShards) {
  const std::string bulk = *root_ + "/mem";
  const auto shards = testing::BuildBulkShards(bulk, 100, 6, 200'000);
  std::vector<std::string> args = {"scan",
                                   "-q",
                                   "--data",
                                   *store_,
                                   "--out",
                                   *root_ + "/mem-out",
                                   "--write-filtered",
                                   *root_ + "/mem-filtered",
                                   "--max-inflight-mb",
                                   "16"};
  args.insert(args.end(), shards.begin(), shards.end());
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer keeps freed memory in a 256 MB quarantine by default
  // and adds its shadow; bound the quarantine and allow for the shadow.
  ::setenv("ASAN_OPTIONS", "quarantine_size_mb=16:detect_leaks=1", 1);
  constexpr long kLimitKiB = 96 * 1024;
#else
  constexpr long kLimitKiB = 64 * 1024;
#endif
  // Measured by GNU time: a child forked from this (large) test process
  // would report the test's own pages as its peak. What the scan adds is
  // compared with the same binary doing nothing, so the bound is about the
  // scan, not about the size of the program (over 120 MB under ASan).
  auto peak_of = [&](std::vector<std::string> run, const std::string& name) {
    const std::string peak_file = *root_ + "/" + name + ".peak";
    run.insert(run.begin(),
               {"-f", "%M", "-o", peak_file, testing::BulwarkBinary()});
    testing::Exit e = testing::Wait(
        testing::Start("/usr/bin/time", run, *root_ + "/" + name + ".log"));
    EXPECT_EQ(e.status, 0) << Slurp(*root_ + "/" + name + ".log");
    return std::atol(Slurp(peak_file).c_str());
  };
  const long idle_kib = peak_of({"scan", "--help"}, "idle");
  const long peak_kib = peak_of(args, "mem");
  EXPECT_EQ(ReadReport(*root_ + "/mem-out").stats.size(), 100u);
  // Far below the data size (~120 MB read, ~120 MB written).
  EXPECT_GT(idle_kib, 0);
  EXPECT_GT(peak_kib, idle_kib);
  EXPECT_LT(peak_kib - idle_kib, kLimitKiB)
      << peak_kib << " KiB at peak, " << idle_kib << " KiB idle";
}

}  // namespace
}  // namespace bulwark

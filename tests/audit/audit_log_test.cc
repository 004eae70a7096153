// Appending, reading back, checkpoints, durability and concurrency of the
// audit log.
#include "bulwark/audit/audit_log.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "audit/audit_test_util.h"
#include "bulwark/audit/export.h"
#include "bulwark/core/sqlite_connection.h"

namespace bulwark::audit {
namespace {

using testing::AuditTest;
using testing::Ban;
using testing::kStartMs;

TEST_F(AuditTest, AppendAndReadBack) {
  auto log = OpenLog(false);
  ASSERT_NE(log, nullptr);
  clock_.Set(kStartMs + 5);
  auto r = log->Append({"key:admin", "account.ban", "account:alice",
                        "three strikes", R"({ "days": 7 })"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->seq, 1);
  EXPECT_EQ(r->time_ms, kStartMs + 5);
  EXPECT_EQ(r->prev_hash, kGenesisHash);
  EXPECT_EQ(r->details, R"({"days":7})");
  EXPECT_EQ(r->hash, ComputeHash(*r));

  auto all = ReadAll();
  ASSERT_EQ(all.size(), 1u);
  const Record& back = all[0];
  EXPECT_EQ(back.seq, 1);
  EXPECT_EQ(back.time_ms, kStartMs + 5);
  EXPECT_EQ(back.actor, "key:admin");
  EXPECT_EQ(back.action, "account.ban");
  EXPECT_EQ(back.target, "account:alice");
  EXPECT_EQ(back.reason, "three strikes");
  EXPECT_EQ(back.details, R"({"days":7})");
  EXPECT_EQ(back.hash, r->hash);
}

TEST_F(AuditTest, RefusedRecordWritesNothing) {
  auto log = OpenLog(false);
  auto r = log->Append({"key:admin", "Ban", "", "", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ReadAll().empty());
}

TEST_F(AuditTest, EachRecordLinksToThePrevious) {
  Fill(10, false);
  auto all = ReadAll();
  ASSERT_EQ(all.size(), 10u);
  std::string prev(kGenesisHash);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(all[i].prev_hash, prev);
    EXPECT_EQ(all[i].hash, ComputeHash(all[i]));
    EXPECT_EQ(all[i].time_ms, kStartMs + static_cast<int64_t>(i) * 1000);
    prev = all[i].hash;
  }
  auto report = VerifyWith(false);
  EXPECT_TRUE(report.intact()) << report.problem->message;
  EXPECT_EQ(report.records, 10);
  EXPECT_EQ(report.last_hash, prev);
}

TEST_F(AuditTest, ChainContinuesAcrossReopen) {
  Fill(3, false);
  std::string third = ReadAll().back().hash;
  {
    auto log = OpenLog(false);
    auto r = log->Append(Ban(4));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->seq, 4);
    EXPECT_EQ(r->prev_hash, third);
  }
  EXPECT_EQ(ReadAll().size(), 4u);
  EXPECT_TRUE(VerifyWith(false).intact());
}

TEST_F(AuditTest, DatabaseIsWalWithFullSync) {
  auto log = OpenLog(false);
  auto c = SqliteConnection::Open(db_path(), false, 1000);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*(*c)->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*(*c)->QueryText("PRAGMA user_version"), "1");
}

TEST_F(AuditTest, TriggersKeepTheLogAppendOnly) {
  Fill(2, false);
  auto c = SqliteConnection::Open(db_path(), false, 1000);
  ASSERT_TRUE(c.ok());
  auto s = (*c)->Exec("UPDATE records SET reason = 'x' WHERE seq = 1");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("append-only"), std::string::npos);
  EXPECT_FALSE((*c)->Exec("DELETE FROM records").ok());
}

TEST_F(AuditTest, CheckpointEveryNRecordsWhenKeyed) {
  auto log = OpenLog(true, 4);
  ASSERT_TRUE(log->signs_checkpoints());
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(log->Append(Ban(i)).ok());
  auto reader = AuditReader::Open(data());
  auto cps = (*reader)->Checkpoints();
  ASSERT_TRUE(cps.ok());
  ASSERT_EQ(cps->size(), 2u);
  EXPECT_EQ((*cps)[0].seq, 4);
  EXPECT_EQ((*cps)[1].seq, 8);
  auto key = PublicKey::FromPemFile(KeyPath() + ".pub");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*cps)[0].key_id, key->key_id());
  EXPECT_TRUE(CheckSignature(*key, (*cps)[0]));

  // On request: the newest record, once.
  auto cp = log->WriteCheckpoint();
  ASSERT_TRUE(cp.ok());
  ASSERT_TRUE(cp->has_value());
  EXPECT_EQ((*cp)->seq, 10);
  cp = log->WriteCheckpoint();
  ASSERT_TRUE(cp.ok());
  EXPECT_FALSE(cp->has_value());

  auto report = VerifyWith(true);
  EXPECT_TRUE(report.intact()) << report.problem->message;
  EXPECT_EQ(report.checkpoints, 3);
  EXPECT_EQ(report.signatures_checked, 3);
  EXPECT_TRUE(report.limits.empty()) << report.limits[0];
}

TEST_F(AuditTest, NoKeyNoCheckpointsAndVerifySaysSo) {
  auto log = OpenLog(false, 2);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(log->Append(Ban(i)).ok());
  EXPECT_FALSE(log->signs_checkpoints());
  auto cp = log->WriteCheckpoint();
  ASSERT_FALSE(cp.ok());
  EXPECT_EQ(cp.error().code, ErrorCode::kUnsupported);
  auto report = VerifyWith(false);
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.checkpoints, 0);
  ASSERT_FALSE(report.limits.empty());
  EXPECT_NE(report.limits[0].find("no signed checkpoints"), std::string::npos);
}

TEST_F(AuditTest, ConcurrentAppendsKeepOneChain) {
  // Two logs on one file stand for two processes; two threads each.
  auto a = OpenLog(true, 16), b = OpenLog(true, 16);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> seqs(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kEach; ++i) {
        auto r = log.Append(Ban(t * 1000 + i));
        if (r.ok()) seqs[t].push_back(r->seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> all;
  for (const auto& s : seqs) {
    EXPECT_EQ(s.size(), static_cast<size_t>(kEach));
    all.insert(s.begin(), s.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  auto report = VerifyWith(true);
  EXPECT_TRUE(report.intact()) << report.problem->message;
  EXPECT_EQ(report.records, kThreads * kEach);
  EXPECT_EQ(report.checkpoints, kThreads * kEach / 16);
}

// A writer killed with SIGKILL in the middle of a burst keeps every record
// whose Append had returned (the "acknowledged" ones).
TEST_F(AuditTest, KilledWriterLosesNoAcknowledgedRecord) {
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(acks[0]);
    SystemClock clock;
    AuditLogOptions o;
    o.data_dir = data();
    auto log = AuditLog::Open(o, clock);
    if (!log.ok()) _exit(2);
    for (int i = 1;; ++i) {
      auto r = (*log)->Append(Ban(i));
      if (!r.ok()) _exit(3);
      if (write(acks[1], &r->seq, sizeof r->seq) != sizeof r->seq) _exit(4);
    }
  }
  close(acks[1]);
  int64_t acked = 0, seq = 0;
  while (acked < 40 && read(acks[0], &seq, sizeof seq) == sizeof seq) {
    acked = seq;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  // Acks already in the pipe were sent before the kill.
  while (read(acks[0], &seq, sizeof seq) == sizeof seq) acked = seq;
  close(acks[0]);
  ASSERT_GE(acked, 40);

  auto report = VerifyWith(false);
  EXPECT_TRUE(report.intact()) << report.problem->message;
  EXPECT_GE(report.last_seq, acked);
}

TEST_F(AuditTest, ExportSinceTimeAndSeq) {
  Fill(20, false);
  auto reader = AuditReader::Open(data());
  ASSERT_TRUE(reader.ok());
  ExportOptions o;
  auto since = ParseUtcMs(FormatUtcMs(kStartMs + 14 * 1000));
  ASSERT_TRUE(since.ok());
  o.since_ms = *since;
  std::ostringstream out;
  auto n = ExportJsonl(**reader, o, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 6);

  std::istringstream lines(out.str());
  std::string line;
  int64_t expect_seq = 15;
  while (std::getline(lines, line)) {
    auto v = boost::json::parse(line).as_object();
    EXPECT_EQ(v["seq"].as_int64(), expect_seq);
    EXPECT_EQ(v["time"].as_string(),
              FormatUtcMs(kStartMs + (expect_seq - 1) * 1000));
    // Everything needed to recompute the hash is in the line.
    Record r;
    r.seq = v["seq"].as_int64();
    r.time_ms = v["time_ms"].as_int64();
    r.actor = v["actor"].as_string();
    r.action = v["action"].as_string();
    r.target = v["target"].as_string();
    r.reason = v["reason"].as_string();
    r.details = v["details"].as_string();
    r.prev_hash = v["prev_hash"].as_string();
    EXPECT_EQ(ComputeHash(r), v["hash"].as_string());
    ++expect_seq;
  }
  EXPECT_EQ(expect_seq, 21);

  o = ExportOptions{};
  o.since_seq = 19;
  std::ostringstream tail;
  n = ExportJsonl(**reader, o, tail);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(tail.str().rfind("{\"seq\":19,", 0), 0u) << tail.str();
}

TEST_F(AuditTest, ReaderWithoutLogIsNotFound) {
  auto reader = AuditReader::Open(data());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bulwark::audit

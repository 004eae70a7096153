// Shared by the audit tests: a log in a scratch directory filled with
// records at known times, and tampering the way an attacker with the file
// would do it: straight through sqlite3, append-only triggers dropped.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "bulwark/audit/audit_log.h"
#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/schema.h"
#include "bulwark/audit/signing_key.h"
#include "bulwark/audit/verify.h"
#include "bulwark/core/clock.h"
#include "support/scratch_dir.h"

namespace bulwark::audit::testing {

inline constexpr int64_t kStartMs = 1795000000000;  // 2026-11-18

inline NewRecord Ban(int i) {
  NewRecord r;
  r.actor = "key:admin";
  r.action = "account.ban";
  r.target = "account:user" + std::to_string(i);
  r.reason = "strike limit reached";
  r.details = R"({"strikes": 3, "days": 7})";
  return r;
}

class AuditTest : public ::testing::Test {
 protected:
  std::string data() const { return dir_.path(); }
  std::string db_path() const { return AuditDbPath(data()); }

  // The key pair under the scratch directory, made on first use.
  const std::string& KeyPath() {
    if (key_path_.empty()) {
      key_path_ = dir_ / "audit-key.pem";
      auto id = GenerateKeyFiles(key_path_);
      EXPECT_TRUE(id.ok()) << id.error().ToString();
    }
    return key_path_;
  }

  std::unique_ptr<AuditLog> OpenLog(bool with_key, int64_t every = 64) {
    AuditLogOptions o;
    o.data_dir = data();
    if (with_key) o.signing_key_path = KeyPath();
    o.checkpoint_every = every;
    auto log = AuditLog::Open(o, clock_);
    EXPECT_TRUE(log.ok()) << log.error().ToString();
    return log.ok() ? std::move(*log) : nullptr;
  }

  // n records, one second apart from kStartMs.
  void Fill(int n, bool with_key) {
    auto log = OpenLog(with_key);
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= n; ++i) {
      clock_.Set(kStartMs + (i - 1) * 1000);
      auto r = log->Append(Ban(i));
      ASSERT_TRUE(r.ok()) << r.error().ToString();
    }
  }

  VerifyReport VerifyWith(bool with_key) {
    auto reader = AuditReader::Open(data());
    EXPECT_TRUE(reader.ok()) << reader.error().ToString();
    VerifyOptions o;
    if (with_key) o.keys.push_back(*PublicKey::FromPemFile(KeyPath() + ".pub"));
    auto report = Verify(**reader, o);
    EXPECT_TRUE(report.ok()) << report.error().ToString();
    return *report;
  }

  // Runs `sql` on the audit database as an attacker would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    const std::string all =
        "DROP TRIGGER IF EXISTS records_append_only_update;"
        "DROP TRIGGER IF EXISTS records_append_only_delete;"
        "DROP TRIGGER IF EXISTS checkpoints_append_only_update;"
        "DROP TRIGGER IF EXISTS checkpoints_append_only_delete;" +
        sql;
    char* err = nullptr;
    const int rc = sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // Replaces the stored record r.seq with `r`, every column.
  void Rewrite(const Record& r) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "DROP TRIGGER IF EXISTS records_append_only_update",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db,
                  "UPDATE records SET time_ms=?2, actor=?3, action=?4, "
                  "target=?5, reason=?6, details=?7, prev_hash=?8, hash=?9 "
                  "WHERE seq=?1",
                  -1, &s, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(s, 1, r.seq);
    sqlite3_bind_int64(s, 2, r.time_ms);
    int i = 3;
    for (const std::string* f : {&r.actor, &r.action, &r.target, &r.reason,
                                 &r.details, &r.prev_hash, &r.hash}) {
      sqlite3_bind_text(s, i++, f->c_str(), -1, SQLITE_TRANSIENT);
    }
    EXPECT_EQ(sqlite3_step(s), SQLITE_DONE);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
  }

  // Every stored record, in seq order.
  std::vector<Record> ReadAll() {
    std::vector<Record> out;
    auto reader = AuditReader::Open(data());
    EXPECT_TRUE(reader.ok());
    auto s = (*reader)->ForEachRecord([&](const Record& r) {
      out.push_back(r);
      return true;
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  bulwark::testing::ScratchDir dir_;
  ManualClock clock_{kStartMs};
  std::string key_path_;
};

}  // namespace bulwark::audit::testing

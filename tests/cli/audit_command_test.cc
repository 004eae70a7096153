// `bulwark audit` end to end: make-key, verify (exit statuses and the
// message naming the record) and export, on a log written in-process.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>

#include "bulwark/audit/audit_log.h"
#include "bulwark/core/clock.h"
#include "support/cli_runner.h"
#include "support/scratch_dir.h"

namespace bulwark {
namespace {

using testing::Bulwark;
using testing::RunResult;

class AuditCommandTest : public ::testing::Test {
 protected:
  std::string Key() const { return dir_ / "audit.pem"; }

  // 70 records signed with Key(): one checkpoint, at 64.
  void WriteLog() {
    ManualClock clock(1795000000000);
    audit::AuditLogOptions o;
    o.data_dir = data_;
    o.signing_key_path = Key();
    auto log = audit::AuditLog::Open(o, clock);
    ASSERT_TRUE(log.ok()) << log.error().ToString();
    for (int i = 1; i <= 70; ++i) {
      clock.Advance(1000);
      ASSERT_TRUE((*log)
                      ->Append({"key:admin", "account.ban",
                                "account:u" + std::to_string(i), "spam", ""})
                      .ok());
    }
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_ + "/audit.db").c_str(), &db), SQLITE_OK);
    const std::string all =
        "DROP TRIGGER records_append_only_update;"
        "DROP TRIGGER records_append_only_delete;" +
        sql;
    EXPECT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }

  RunResult Run(const std::string& args) {
    return Bulwark("audit " + args + " --data " + data_);
  }

  bulwark::testing::ScratchDir dir_;
  std::string data_ = dir_ / "data";
};

TEST_F(AuditCommandTest, MakeKeyWritesPrivateKeyOwnerOnly) {
  auto r = Bulwark("audit make-key " + Key());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("key id "), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat(Key().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((Key() + ".pub").c_str(), &st), 0);
  EXPECT_NE(testing::Slurp(Key()).find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(testing::Slurp(Key() + ".pub").find("BEGIN PUBLIC KEY"),
            std::string::npos);

  const std::string before = testing::Slurp(Key());
  r = Bulwark("audit make-key " + Key());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(testing::Slurp(Key()), before);
}

TEST_F(AuditCommandTest, VerifyIntactThenTampered) {
  ASSERT_EQ(Bulwark("audit make-key " + Key()).status, 0);
  WriteLog();
  auto r = Run("verify --public-key " + Key() + ".pub");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("audit log intact: 70 records"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 checkpoints, 1 signatures verified"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("after the last checkpoint (record 64)"),
            std::string::npos);

  // Without a key it still passes, and says what it did not check.
  r = Run("verify");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("signatures were not checked"), std::string::npos)
      << r.out;

  Sql("UPDATE records SET reason = 'none' WHERE seq = 17");
  r = Run("verify --key " + Key());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("TAMPERED: record 17 was altered (its hash does not "
                       "match its contents)"),
            std::string::npos)
      << r.out;

  r = Run("verify --format json --public-key " + Key() + ".pub");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(R"("problem":{"seq":17,"kind":"altered")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("intact":false)"), std::string::npos);
}

TEST_F(AuditCommandTest, VerifyNamesAMissingRecord) {
  ASSERT_EQ(Bulwark("audit make-key " + Key()).status, 0);
  WriteLog();
  Sql("DELETE FROM records WHERE seq = 40");
  auto r = Run("verify --public-key " + Key() + ".pub");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("record 40 is missing"), std::string::npos) << r.out;
}

TEST_F(AuditCommandTest, UsageErrors) {
  auto r = Run("verify");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no audit log"), std::string::npos) << r.err;
  ASSERT_EQ(Bulwark("audit make-key " + Key()).status, 0);
  WriteLog();
  EXPECT_EQ(Run("verify --public-key " + dir_ / "absent.pem").status, 2);
  EXPECT_EQ(Run("verify --format xml").status, 2);
  EXPECT_EQ(Run("export --since yesterday").status, 2);
  EXPECT_EQ(Run("export --since 2026-01-01 --since-seq 3").status, 2);
}

TEST_F(AuditCommandTest, ExportWritesJsonLines) {
  ASSERT_EQ(Bulwark("audit make-key " + Key()).status, 0);
  WriteLog();
  const std::string out = dir_ / "archive.jsonl";
  auto r = Run("export --since-seq 61 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string text = testing::Slurp(out);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10);
  EXPECT_EQ(text.rfind("{\"seq\":61,", 0), 0u) << text;

  // Record i was stamped at start + i seconds.
  r = Run("export --since 2026-11-18T11:07:50Z");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"seq\":70,", 0), 0u) << r.out;
}

}  // namespace
}  // namespace bulwark

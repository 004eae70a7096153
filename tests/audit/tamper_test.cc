// Tampering with the audit database directly through sqlite3, as someone
// holding the file would, is found by Verify, which names the record.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace bulwark::audit {
namespace {

using testing::AuditTest;

// 130 records, signed checkpoints at 64 and 128.
class AuditTamperTest : public AuditTest {
 protected:
  void SetUp() override {
    Fill(130, /*with_key=*/true);
    ASSERT_TRUE(VerifyWith(true).intact());
  }

  // The first problem Verify reports (with the public key unless told).
  Problem FirstProblem(bool with_key = true) {
    auto report = VerifyWith(with_key);
    EXPECT_FALSE(report.intact());
    return report.problem.value_or(Problem{});
  }

  // Rewrites records [from, end] with `reason`, each hash recomputed and
  // linked to the one before: a consistent forgery of the tail.
  void RewriteTail(int64_t from, const std::string& reason) {
    auto all = ReadAll();
    std::string prev = all[from - 2].hash;
    for (size_t i = from - 1; i < all.size(); ++i) {
      Record r = all[i];
      r.reason = reason;
      r.prev_hash = prev;
      r.hash = ComputeHash(r);
      Rewrite(r);
      prev = r.hash;
    }
  }
};

TEST_F(AuditTamperTest, EditedFieldIsNamed) {
  Tamper("UPDATE records SET reason = 'nothing happened' WHERE seq = 17");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kAltered);
  EXPECT_EQ(p.seq, 17);
  EXPECT_EQ(p.message,
            "record 17 was altered (its hash does not match its contents)");
}

TEST_F(AuditTamperTest, EditedTimeOrActorIsNamed) {
  Tamper("UPDATE records SET time_ms = time_ms - 1 WHERE seq = 3");
  EXPECT_EQ(FirstProblem().seq, 3);
}

TEST_F(AuditTamperTest, EditedFieldIsFoundWithoutKeyToo) {
  Tamper("UPDATE records SET actor = 'system' WHERE seq = 99");
  const Problem p = FirstProblem(/*with_key=*/false);
  EXPECT_EQ(p.kind, ProblemKind::kAltered);
  EXPECT_EQ(p.seq, 99);
}

TEST_F(AuditTamperTest, DeletedRecordIsNamed) {
  Tamper("DELETE FROM records WHERE seq = 18");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kMissing);
  EXPECT_EQ(p.seq, 18);
  EXPECT_EQ(p.message, "record 18 is missing");
}

TEST_F(AuditTamperTest, DeletedRangeIsNamed) {
  Tamper("DELETE FROM records WHERE seq BETWEEN 30 AND 33");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.seq, 30);
  EXPECT_EQ(p.message, "records 30 to 33 are missing");
}

TEST_F(AuditTamperTest, SwappedRecordsAreNamed) {
  Tamper(
      "UPDATE records SET seq = -1 WHERE seq = 20;"
      "UPDATE records SET seq = 20 WHERE seq = 21;"
      "UPDATE records SET seq = 21 WHERE seq = -1;");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kOutOfOrder);
  EXPECT_EQ(p.seq, 20);
  EXPECT_EQ(p.message.rfind("records 20 and 21 are out of order", 0), 0u)
      << p.message;
}

TEST_F(AuditTamperTest, SwappedDistantRecordsAreNamed) {
  Tamper(
      "UPDATE records SET seq = -1 WHERE seq = 30;"
      "UPDATE records SET seq = 30 WHERE seq = 45;"
      "UPDATE records SET seq = 45 WHERE seq = -1;");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kOutOfOrder);
  EXPECT_EQ(p.message.rfind("records 30 and 45 are out of order", 0), 0u)
      << p.message;
}

TEST_F(AuditTamperTest, RewrittenRecordWithRecomputedHashIsCaughtByNextLink) {
  Record r = ReadAll()[16];
  ASSERT_EQ(r.seq, 17);
  r.target = "account:someone-else";
  r.hash = ComputeHash(r);
  Rewrite(r);
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kRelinked);
  EXPECT_EQ(p.seq, 17);
  EXPECT_EQ(p.message,
            "record 17 was altered and its hash recomputed (record 18 links "
            "to a different hash)");
}

TEST_F(AuditTamperTest, ConsistentTailRewriteIsCaughtByCheckpoint) {
  RewriteTail(40, "rewritten");
  Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kCheckpointMismatch);
  EXPECT_EQ(p.seq, 64);
  EXPECT_EQ(p.message,
            "checkpoint at record 64 does not match (records up to 64 were "
            "rewritten)");
  // The checkpoint's hash is compared even without the public key.
  EXPECT_EQ(FirstProblem(/*with_key=*/false).seq, 64);
}

TEST_F(AuditTamperTest, TailRewriteWithForgedCheckpointsNeedsTheKey) {
  RewriteTail(40, "rewritten");
  auto all = ReadAll();
  Tamper("UPDATE checkpoints SET record_hash = '" + all[63].hash +
         "' WHERE seq = 64; UPDATE checkpoints SET record_hash = '" +
         all[127].hash + "' WHERE seq = 128;");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kCheckpointSignature);
  EXPECT_EQ(p.seq, 64);
  // Without the key the forgery is consistent, and the report says what
  // it could not check.
  auto report = VerifyWith(/*with_key=*/false);
  EXPECT_TRUE(report.intact());
  ASSERT_FALSE(report.limits.empty());
  EXPECT_NE(report.limits[0].find("signatures were not checked"),
            std::string::npos);
}

TEST_F(AuditTamperTest, CorruptedSignatureIsNamed) {
  Tamper(
      "UPDATE checkpoints SET signature = "
      "substr(signature, 1, 10) || "
      "(CASE substr(signature, 11, 1) WHEN 'a' THEN 'b' ELSE 'a' END) || "
      "substr(signature, 12) WHERE seq = 128");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kCheckpointSignature);
  EXPECT_EQ(p.seq, 128);
  EXPECT_NE(p.message.find("checkpoint signature invalid"), std::string::npos);
}

TEST_F(AuditTamperTest, CheckpointFromAnotherKeyIsNamed) {
  key_path_ = dir_ / "other-key.pem";
  ASSERT_TRUE(GenerateKeyFiles(key_path_).ok());
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kCheckpointUnknownKey);
  EXPECT_EQ(p.seq, 64);
}

TEST_F(AuditTamperTest, TruncationBeforeACheckpointIsNamed) {
  Tamper("DELETE FROM records WHERE seq > 100");
  const Problem p = FirstProblem();
  EXPECT_EQ(p.kind, ProblemKind::kTruncated);
  EXPECT_EQ(p.seq, 101);
}

// What cannot be proven: the newest records after the last checkpoint
// can go without a trace. Verify says so instead of claiming otherwise.
TEST_F(AuditTamperTest, TruncationAfterTheLastCheckpointIsOnlyALimit) {
  Tamper("DELETE FROM records WHERE seq > 129");
  auto report = VerifyWith(true);
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.last_seq, 129);
  ASSERT_EQ(report.limits.size(), 1u);
  EXPECT_NE(report.limits[0].find("after the last checkpoint (record 128)"),
            std::string::npos);
}

}  // namespace
}  // namespace bulwark::audit

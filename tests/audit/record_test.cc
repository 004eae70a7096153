// The record encoding the hash covers, and what Normalize lets in.
#include "bulwark/audit/record.h"

#include <gtest/gtest.h>

namespace bulwark::audit {
namespace {

Record Sample() {
  Record r;
  r.seq = 7;
  r.time_ms = 1795000000123;
  r.actor = "key:admin";
  r.action = "account.ban";
  r.target = "account:alice";
  r.reason = "spam";
  r.details = "{}";
  r.prev_hash = std::string(kGenesisHash);
  return r;
}

TEST(AuditRecord, EncodingIsLengthPrefixedBigEndian) {
  const std::string bytes = CanonicalBytes(Sample());
  const std::string tag = "bulwark.audit.record.v1";
  // field(tag): 8-byte length, then the tag; then u64be(seq).
  ASSERT_GT(bytes.size(), 8 + tag.size() + 16);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\0\0\0\0\0\0\0\x17", 8));
  EXPECT_EQ(bytes.substr(8, tag.size()), tag);
  EXPECT_EQ(bytes.substr(8 + tag.size(), 8),
            std::string("\0\0\0\0\0\0\0\x07", 8));
  EXPECT_EQ(bytes.size(),
            8 + tag.size() + 16 + 6 * 8 + 9 + 11 + 13 + 4 + 2 + 64);
}

TEST(AuditRecord, MovingBytesBetweenFieldsChangesTheHash) {
  Record a = Sample(), b = Sample();
  a.target = "account:alice";
  a.reason = "spam";
  b.target = "account:alicespam";
  b.reason = "";
  EXPECT_NE(CanonicalBytes(a), CanonicalBytes(b));
  EXPECT_NE(ComputeHash(a), ComputeHash(b));
}

TEST(AuditRecord, EveryFieldIsCovered) {
  const std::string base = ComputeHash(Sample());
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(ComputeHash(Sample()), base);
  auto changed = [&](auto edit) {
    Record r = Sample();
    edit(r);
    return ComputeHash(r) != base;
  };
  EXPECT_TRUE(changed([](Record& r) { r.seq = 8; }));
  EXPECT_TRUE(changed([](Record& r) { r.time_ms += 1; }));
  EXPECT_TRUE(changed([](Record& r) { r.actor = "key:other"; }));
  EXPECT_TRUE(changed([](Record& r) { r.action = "account.lift"; }));
  EXPECT_TRUE(changed([](Record& r) { r.target = "account:bob"; }));
  EXPECT_TRUE(changed([](Record& r) { r.reason = "spam!"; }));
  EXPECT_TRUE(changed([](Record& r) { r.details = R"({"a":1})"; }));
  EXPECT_TRUE(changed([](Record& r) { r.prev_hash[0] = '1'; }));
  // The stored hash is not part of what is hashed.
  EXPECT_FALSE(changed([](Record& r) { r.hash = "x"; }));
}

TEST(AuditRecord, NormalizeCompactsDetails) {
  NewRecord in{"key:admin", "review.decision", "incident:42", "", ""};
  auto out = Normalize(in);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->details, "{}");
  in.details = "{ \"verdict\" : \"block\",\n \"n\": [1, 2] }";
  out = Normalize(in);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->details, R"({"verdict":"block","n":[1,2]})");
}

TEST(AuditRecord, NormalizeRefusesBadRecords) {
  auto refused = [](NewRecord r, const std::string& says) {
    auto out = Normalize(r);
    if (out.ok()) return ::testing::AssertionFailure() << "accepted";
    if (out.error().message.find(says) == std::string::npos) {
      return ::testing::AssertionFailure() << out.error().message;
    }
    return ::testing::AssertionSuccess();
  };
  const NewRecord ok{"key:admin", "account.ban", "account:a", "r", "{}"};
  ASSERT_TRUE(Normalize(ok).ok());
  NewRecord r = ok;
  r.actor = "";
  EXPECT_TRUE(refused(r, "actor is empty"));
  r = ok;
  r.actor = "bwk_0123456789abcdef";
  EXPECT_TRUE(refused(r, "looks like an API key"));
  for (const char* action : {"ban", "Account.ban", "account..ban", ".ban",
                             "account.ban.", "account ban"}) {
    r = ok;
    r.action = action;
    EXPECT_TRUE(refused(r, "lowercase dotted")) << action;
  }
  r = ok;
  r.reason = "line\nbreak";
  EXPECT_TRUE(refused(r, "reason must be UTF-8 text"));
  r = ok;
  r.target = "\xff";
  EXPECT_TRUE(refused(r, "target must be UTF-8"));
  r = ok;
  r.details = "[1,2]";
  EXPECT_TRUE(refused(r, "JSON object"));
  r = ok;
  r.details = "{\"a\":";
  EXPECT_TRUE(refused(r, "JSON object"));
  r = ok;
  r.reason = std::string(5000, 'x');
  EXPECT_TRUE(refused(r, "longer than"));
}

}  // namespace
}  // namespace bulwark::audit

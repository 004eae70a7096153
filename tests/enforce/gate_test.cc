// The admission check: token buckets per account and per key, and what an
// account's conduct does to its requests.
#include "bulwark/enforce/gate.h"

#include <gtest/gtest.h>

#include "bulwark/policy/policy.h"
#include "support/scratch_dir.h"

namespace bulwark::enforce {
namespace {

constexpr int64_t kStart = 1795882654000;

policy::RateLimit Limit(double per_minute, double burst) {
  policy::RateLimit r;
  r.per_minute = per_minute;
  r.burst = burst;
  return r;
}

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  ManualClock clock(kStart);
  RateLimiter limiter(clock);
  const policy::RateLimit limit = Limit(60, 3);  // one a second
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("a", limit), 0) << i;
  EXPECT_EQ(limiter.Take("a", limit), 1000);
  EXPECT_EQ(limiter.Take("b", limit), 0);  // buckets are per key
  clock.Advance(400);
  EXPECT_EQ(limiter.Take("a", limit), 600);
  clock.Advance(600);
  EXPECT_EQ(limiter.Take("a", limit), 0);
  EXPECT_EQ(limiter.Take("a", limit), 1000);
  clock.Advance(3600 * 1000);  // never more than the burst
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("a", limit), 0) << i;
  EXPECT_GT(limiter.Take("a", limit), 0);
  EXPECT_EQ(limiter.Take("a", policy::RateLimit{}), 0);  // unlimited
}

TEST(RateLimiter, ForgetsRefilledBucketsPastItsBound) {
  ManualClock clock(kStart);
  RateLimiter limiter(clock, /*max_keys=*/4);
  const policy::RateLimit limit = Limit(60, 1);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(limiter.Take(std::to_string(i), limit), 0);
  clock.Advance(1000);  // all four refilled
  EXPECT_EQ(limiter.Take("new", limit), 0);
  // "0" was forgotten: it starts full again, as it would have been anyway.
  EXPECT_EQ(limiter.Take("0", limit), 0);
  EXPECT_EQ(limiter.Take("new", limit), 1000);  // still remembered
}

class GateTest : public ::testing::Test {
 protected:
  GateTest() : clock_(kStart) {
    auto p = policy::Policy::Parse(R"(
[[rule]]
name = "known-csam"
when = { finding = "hash.match", category = "csam" }
action = "block"
category = "sexual/minors"
[conduct]
[[conduct.weight]]
category = "sexual/minors"
block = 3
[[conduct.threshold]]
points = 3
action = "throttle"
per_minute = 6
[[conduct.threshold]]
points = 6
action = "suspend"
duration = "1h"
[conduct.rate_limit.account]
per_minute = 60
burst = 2
[conduct.rate_limit.api_key]
per_minute = 60
burst = 5
)");
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    policy_ = *p;
    auto s = ConductStore::Open(dir_.path(), policy_.conduct(), clock_);
    EXPECT_TRUE(s.ok());
    store_ = std::move(*s);
  }

  void Strike(const std::string& account) {
    policy::Verdict v;
    v.action = policy::Action::kBlock;
    v.categories = {"sexual/minors"};
    ASSERT_TRUE(store_->RecordVerdict(account, v, 0).ok());
  }

  testing::ScratchDir dir_;
  ManualClock clock_;
  policy::Policy policy_ = policy::Policy::Default();
  std::unique_ptr<ConductStore> store_;
};

TEST_F(GateTest, AccountAndKeyLimitsAreIndependent) {
  Gate gate(store_.get(), policy_.conduct(), clock_);
  EXPECT_TRUE(gate.Admit("alice", "k1").admitted());
  EXPECT_TRUE(gate.Admit("alice", "k1").admitted());
  const Admission a = gate.Admit("alice", "k1");
  EXPECT_EQ(a.outcome, Admission::Outcome::kRateLimited);
  EXPECT_EQ(a.retry_after_ms, 1000);
  EXPECT_NE(a.reason.find("account"), std::string::npos);
  // The key still has tokens for other accounts; then it runs out too.
  EXPECT_TRUE(gate.Admit("bob", "k1").admitted());
  EXPECT_TRUE(gate.Admit("carol", "k1").admitted());
  const Admission k = gate.Admit("dave", "k1");
  EXPECT_EQ(k.outcome, Admission::Outcome::kRateLimited);
  EXPECT_NE(k.reason.find("API key"), std::string::npos);
  EXPECT_TRUE(gate.Admit("dave", "k2").admitted());
  EXPECT_TRUE(gate.Admit("", "").admitted());  // nothing to limit by
}

TEST_F(GateTest, StrikesThrottleThenSuspend) {
  Gate gate(store_.get(), policy_.conduct(), clock_);
  Strike("alice");  // 3 points: throttled to 6 a minute (burst 1)
  Admission a = gate.Admit("alice", "");
  EXPECT_TRUE(a.admitted());
  EXPECT_EQ(a.status, AccountStatus::kThrottled);
  a = gate.Admit("alice", "");
  EXPECT_EQ(a.outcome, Admission::Outcome::kThrottled);
  EXPECT_EQ(a.retry_after_ms, 10000);
  clock_.Advance(10000);
  EXPECT_TRUE(gate.Admit("alice", "").admitted());

  Strike("alice");  // 6 points: suspended for an hour
  a = gate.Admit("alice", "");
  EXPECT_EQ(a.outcome, Admission::Outcome::kSuspended);
  EXPECT_EQ(a.until_ms, clock_.NowMs() + 3600 * 1000);
  EXPECT_NE(a.reason.find("suspended"), std::string::npos);
  EXPECT_STREQ(OutcomeName(a.outcome), "suspended");

  ASSERT_TRUE(store_->Ban("alice", "cli:test", "manual").ok());
  a = gate.Admit("alice", "");
  EXPECT_EQ(a.outcome, Admission::Outcome::kBanned);
  EXPECT_EQ(a.reason, "the account is banned: manual");
}

TEST_F(GateTest, WithoutAStoreOnlyRatesApply) {
  Gate gate(nullptr, policy_.conduct(), clock_);
  Strike("alice");
  EXPECT_TRUE(gate.Admit("alice", "").admitted());
  EXPECT_TRUE(gate.Admit("alice", "").admitted());
  EXPECT_EQ(gate.Admit("alice", "").outcome, Admission::Outcome::kRateLimited);
}

}  // namespace
}  // namespace bulwark::enforce

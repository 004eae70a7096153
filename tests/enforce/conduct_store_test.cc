// Strikes and what they lead to, with a clock the test moves: the default
// policy's warn → throttle → suspend → ban, expiry after the TTL, bans at
// once, lifting, and that everything survives a reopen and is seen by
// another process's store.
#include "bulwark/enforce/conduct_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "bulwark/policy/policy.h"
#include "support/scratch_dir.h"

namespace bulwark::enforce {
namespace {

constexpr int64_t kStart = 1795882654000;  // 2026-11-28T16:17:34Z
constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;

policy::Verdict Blocked(std::vector<std::string> rules = {"minor-and-sexual"}) {
  policy::Verdict v;
  v.action = policy::Action::kBlock;
  v.categories = {"sexual/minors"};
  v.rules = std::move(rules);
  return v;
}

class ConductStoreTest : public ::testing::Test {
 protected:
  ConductStoreTest() : policy_(policy::Policy::Default()), clock_(kStart) {}

  std::unique_ptr<ConductStore> Open() {
    auto s = ConductStore::Open(dir_.path(), policy_.conduct(), clock_);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  StrikeOutcome Strike(ConductStore& s, const policy::Verdict& v,
                       const std::string& account = "alice") {
    auto out = s.RecordVerdict(account, v, 0);
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    return out.ok() ? *out : StrikeOutcome{};
  }

  testing::ScratchDir dir_;
  policy::Policy policy_;
  ManualClock clock_;
};

TEST_F(ConductStoreTest, EscalatesAtTheDefaultThresholds) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kGood);

  StrikeOutcome o = Strike(*store, Blocked());  // 3 points
  EXPECT_TRUE(o.recorded);
  EXPECT_EQ(o.points, 3);
  ASSERT_EQ(o.actions.size(), 1u);
  EXPECT_EQ(o.actions[0].action, "warn");
  EXPECT_EQ(o.actions[0].actor, "policy");
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kWarned);

  clock_.Advance(kHour);
  o = Strike(*store, Blocked());  // 6
  ASSERT_EQ(o.actions.size(), 1u);
  EXPECT_EQ(o.actions[0].action, "throttle");
  AccountState st = store->Peek("alice");
  EXPECT_EQ(st.status, AccountStatus::kThrottled);
  EXPECT_EQ(st.per_minute, 6);
  EXPECT_EQ(st.points, 6);

  clock_.Advance(kHour);
  o = Strike(*store, Blocked());  // 9
  ASSERT_EQ(o.actions.size(), 1u);
  EXPECT_EQ(o.actions[0].action, "suspend");
  EXPECT_EQ(o.actions[0].until_ms, clock_.NowMs() + kDay);
  st = store->Peek("alice");
  EXPECT_EQ(st.status, AccountStatus::kSuspended);
  EXPECT_EQ(st.until_ms, clock_.NowMs() + kDay);
  EXPECT_NE(st.reason.find("9 points reached the suspend threshold (9)"),
            std::string::npos)
      << st.reason;

  // The suspension ends; the points still throttle.
  clock_.Advance(kDay);
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kThrottled);

  o = Strike(*store, Blocked());  // 12: suspended again
  EXPECT_EQ(o.actions.at(0).action, "suspend");
  clock_.Advance(kDay);
  o = Strike(*store, Blocked());  // 15
  EXPECT_EQ(o.actions.at(0).action, "ban");
  st = store->Peek("alice");
  EXPECT_EQ(st.status, AccountStatus::kBanned);
  EXPECT_EQ(st.until_ms, 0);

  // Other accounts are untouched.
  EXPECT_EQ(store->Peek("bob").status, AccountStatus::kGood);
}

TEST_F(ConductStoreTest, StrikesExpireAfterTheirTtl) {
  auto store = Open();
  ASSERT_TRUE(store);
  Strike(*store, Blocked());
  Strike(*store, Blocked());
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kThrottled);
  clock_.Advance(90 * kDay - 1);
  EXPECT_EQ(store->Peek("alice").points, 6);
  clock_.Advance(1);
  const AccountState st = store->Peek("alice");
  EXPECT_EQ(st.points, 0);
  EXPECT_EQ(st.status, AccountStatus::kGood);
  // A new strike starts from zero again: a warning, not a suspension.
  EXPECT_EQ(Strike(*store, Blocked()).actions.at(0).action, "warn");
}

TEST_F(ConductStoreTest, AKnownCsamMatchBansAtOnce) {
  auto store = Open();
  ASSERT_TRUE(store);
  const StrikeOutcome o = Strike(*store, Blocked({"known-csam"}));
  ASSERT_EQ(o.actions.size(), 1u);
  EXPECT_EQ(o.actions[0].action, "ban");
  EXPECT_EQ(o.actions[0].reason, "rule known-csam bans at once");
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kBanned);
}

TEST_F(ConductStoreTest, NothingToStrike) {
  auto store = Open();
  ASSERT_TRUE(store);
  policy::Verdict allow;
  allow.categories = {"sexual"};
  EXPECT_FALSE(Strike(*store, allow).recorded);
  EXPECT_FALSE(Strike(*store, Blocked(), "").recorded);  // no account
  policy::Verdict other = Blocked();
  other.categories = {"violence"};  // no weight in the default policy
  EXPECT_FALSE(Strike(*store, other).recorded);
  EXPECT_EQ(store->Peek("alice").status, AccountStatus::kGood);
}

TEST_F(ConductStoreTest, LiftForgivesAndIsRecorded) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto nothing = store->Lift("alice", "cli:test", "nothing there");
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, ErrorCode::kNotFound);

  Strike(*store, Blocked({"known-csam"}));
  auto lifted = store->Lift("alice", "key:admin", "appeal upheld");
  ASSERT_TRUE(lifted.ok()) << lifted.error().ToString();
  EXPECT_EQ(lifted->action, "lift");
  const AccountState st = store->Peek("alice");
  EXPECT_EQ(st.status, AccountStatus::kGood);
  EXPECT_EQ(st.points, 0);

  auto shown = store->Show("alice");
  ASSERT_TRUE(shown.ok());
  EXPECT_TRUE(shown->strikes.empty());  // forgiven
  ASSERT_EQ(shown->history.size(), 2u);
  EXPECT_EQ(shown->history[0].action, "ban");
  EXPECT_EQ(shown->history[1].action, "lift");
  EXPECT_EQ(shown->history[1].actor, "key:admin");
  EXPECT_EQ(shown->history[1].reason, "appeal upheld");
}

TEST_F(ConductStoreTest, ManualBan) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto ban = store->Ban("carol", "cli:test", "ban evasion");
  ASSERT_TRUE(ban.ok()) << ban.error().ToString();
  EXPECT_EQ(store->Peek("carol").status, AccountStatus::kBanned);
  EXPECT_EQ(store->Peek("carol").reason, "ban evasion");
  auto again = store->Ban("carol", "cli:test", "again");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already banned"), std::string::npos);
  EXPECT_FALSE(store->Ban("", "cli:test", "x").ok());
}

TEST_F(ConductStoreTest, SurvivesReopenAndSeesOtherWriters) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    Strike(*store, Blocked());
    Strike(*store, Blocked());
  }
  auto service = Open();
  auto cli = Open();
  ASSERT_TRUE(service && cli);
  EXPECT_EQ(service->Peek("alice").status, AccountStatus::kThrottled);
  ASSERT_TRUE(cli->Ban("alice", "cli:test", "seen elsewhere").ok());
  // The service notices within its refresh interval.
  clock_.Advance(ConductStore::kRefreshMs);
  EXPECT_EQ(service->Peek("alice").status, AccountStatus::kBanned);
  ASSERT_TRUE(cli->Lift("alice", "cli:test", "mistake").ok());
  clock_.Advance(ConductStore::kRefreshMs);
  EXPECT_EQ(service->Peek("alice").status, AccountStatus::kGood);
}

TEST_F(ConductStoreTest, RefusesAnotherSchemaVersion) {
  { ASSERT_TRUE(Open()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() + "/conduct.db").c_str(), &db),
            SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto s = ConductStore::Open(dir_.path(), policy_.conduct(), clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(s.error().message.find("schema version 7"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::enforce

#include "bulwark/enforce/conduct_store.h"

#include <algorithm>
#include <utility>

#include "bulwark/core/sqlite_connection.h"

namespace bulwark::enforce {
namespace {

// Version 1. Strikes are never deleted: an expired or forgiven one stays as
// history. `forgiven_ms` is set when a person lifts the restriction.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE accounts(
  account TEXT PRIMARY KEY,
  banned INTEGER NOT NULL DEFAULT 0,
  suspended_until INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE strikes(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  points REAL NOT NULL,
  verdict TEXT NOT NULL,
  categories TEXT NOT NULL,
  incident_id INTEGER NOT NULL DEFAULT 0,
  forgiven_ms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX strikes_by_account ON strikes(account, expires_ms);
CREATE TABLE actions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  action TEXT NOT NULL,
  until_ms INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX actions_by_account ON actions(account, id);
PRAGMA user_version = 1;
)sql";

double LivePoints(const std::vector<std::pair<int64_t, double>>& live,
                  int64_t now) {
  double sum = 0;
  for (const auto& [expires, points] : live) {
    if (expires > now) sum += points;
  }
  return sum;
}

std::string Points(double p) {
  std::string s = std::to_string(p);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

}  // namespace

ConductStore::ConductStore(std::unique_ptr<SqliteConnection> db,
                           const policy::ConductPolicy& policy,
                           const Clock& clock)
    : db_(std::move(db)), policy_(policy), clock_(clock) {}

ConductStore::~ConductStore() = default;

Result<std::unique_ptr<ConductStore>> ConductStore::Open(
    const std::string& data_dir, const policy::ConductPolicy& policy,
    const Clock& clock) {
  auto db =
      OpenStateDatabase(data_dir + "/conduct.db", kSchemaVersion, kSchemaV1);
  if (!db.ok()) return db.error();
  std::unique_ptr<ConductStore> store(
      new ConductStore(std::move(*db), policy, clock));
  std::lock_guard<std::mutex> lock(store->mu_);
  Status s = store->LoadCache();
  if (!s.ok()) return s.error();
  return store;
}

Status ConductStore::LoadCache() {
  const int64_t now = clock_.NowMs();
  auto version = db_->QueryText("PRAGMA data_version");
  if (!version.ok()) return version.error();
  std::map<std::string, Cached> cache;
  auto accounts = db_->Prepare(
      "SELECT account, banned, suspended_until, reason FROM accounts "
      "WHERE banned = 1 OR suspended_until > ?");
  if (!accounts.ok()) return accounts.error();
  accounts->Bind(1, now);
  int rc;
  while ((rc = accounts->Step()) == SQLITE_ROW) {
    Cached& c = cache[accounts->Text(0)];
    c.banned = accounts->Int(1) != 0;
    c.suspended_until = accounts->Int(2);
    c.reason = accounts->Text(3);
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading accounts");
  auto strikes = db_->Prepare(
      "SELECT account, expires_ms, points FROM strikes "
      "WHERE forgiven_ms = 0 AND expires_ms > ?");
  if (!strikes.ok()) return strikes.error();
  strikes->Bind(1, now);
  while ((rc = strikes->Step()) == SQLITE_ROW) {
    cache[strikes->Text(0)].live.emplace_back(strikes->Int(1),
                                              strikes->Double(2));
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading strikes");
  cache_ = std::move(cache);
  data_version_ = std::stoll(*version);
  checked_ms_ = now;
  return Ok{};
}

void ConductStore::RefreshIfChanged() {
  const int64_t now = clock_.NowMs();
  if (now - checked_ms_ < kRefreshMs && now >= checked_ms_) return;
  checked_ms_ = now;
  // data_version changes only when another connection commits: then
  // reload, since the CLI may have banned or lifted an account.
  auto version = db_->QueryText("PRAGMA data_version");
  if (version.ok() && std::stoll(*version) != data_version_) {
    // A failed reload keeps the old view; the next check retries.
    (void)LoadCache();
  }
}

AccountState ConductStore::StateOf(const std::string& account, const Cached& c,
                                   int64_t now) const {
  AccountState st;
  st.account = account;
  st.points = LivePoints(c.live, now);
  if (c.banned) {
    st.status = AccountStatus::kBanned;
    st.reason = c.reason;
    return st;
  }
  if (c.suspended_until > now) {
    st.status = AccountStatus::kSuspended;
    st.until_ms = c.suspended_until;
    st.reason = c.reason;
    return st;
  }
  // Past a suspension the points may still be high: the strongest warn or
  // throttle they reach applies.
  for (const policy::Threshold& t : policy_.thresholds) {
    if (t.points > st.points) break;
    if (t.step == policy::ConductStep::kWarn) {
      st.status = AccountStatus::kWarned;
    } else if (t.step == policy::ConductStep::kThrottle) {
      st.status = AccountStatus::kThrottled;
      st.per_minute = t.per_minute;
    }
  }
  if (st.status != AccountStatus::kGood) {
    st.reason = Points(st.points) + " points from recent strikes";
  }
  return st;
}

AccountState ConductStore::Peek(const std::string& account) {
  std::lock_guard<std::mutex> lock(mu_);
  RefreshIfChanged();
  auto it = cache_.find(account);
  if (it == cache_.end()) {
    AccountState st;
    st.account = account;
    return st;
  }
  return StateOf(account, it->second, clock_.NowMs());
}

Result<ConductStore::Cached> ConductStore::ReadAccount(
    const std::string& account) {
  const int64_t now = clock_.NowMs();
  Cached c;
  auto row = db_->Prepare(
      "SELECT banned, suspended_until, reason FROM accounts "
      "WHERE account = ?");
  if (!row.ok()) return row.error();
  row->BindText(1, account);
  int rc = row->Step();
  if (rc == SQLITE_ROW) {
    c.banned = row->Int(0) != 0;
    c.suspended_until = row->Int(1);
    c.reason = row->Text(2);
  } else if (rc != SQLITE_DONE) {
    return db_->LastError(rc, "reading an account");
  }
  auto strikes = db_->Prepare(
      "SELECT expires_ms, points FROM strikes "
      "WHERE account = ? AND forgiven_ms = 0 AND expires_ms > ?");
  if (!strikes.ok()) return strikes.error();
  strikes->BindText(1, account);
  strikes->Bind(2, now);
  while ((rc = strikes->Step()) == SQLITE_ROW) {
    c.live.emplace_back(strikes->Int(0), strikes->Double(1));
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading strikes");
  return c;
}

Status ConductStore::WriteAccount(const std::string& account, const Cached& c,
                                  int64_t now) {
  auto s = db_->Prepare(
      "INSERT INTO accounts(account, banned, suspended_until, reason, "
      "updated_ms) VALUES(?, ?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET "
      "banned = excluded.banned, suspended_until = excluded.suspended_until, "
      "reason = excluded.reason, updated_ms = excluded.updated_ms");
  if (!s.ok()) return s.error();
  s->BindText(1, account);
  s->Bind(2, c.banned ? 1 : 0);
  s->Bind(3, c.suspended_until);
  s->BindText(4, c.reason);
  s->Bind(5, now);
  const int rc = s->Step();
  if (rc != SQLITE_DONE) return db_->LastError(rc, "writing an account");
  return Ok{};
}

Result<EnforcementAction> ConductStore::InsertAction(EnforcementAction a) {
  auto s = db_->Prepare(
      "INSERT INTO actions(account, time_ms, action, until_ms, actor, reason) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  if (!s.ok()) return s.error();
  s->BindText(1, a.account);
  s->Bind(2, a.time_ms);
  s->BindText(3, a.action);
  s->Bind(4, a.until_ms);
  s->BindText(5, a.actor);
  s->BindText(6, a.reason);
  const int rc = s->Step();
  if (rc != SQLITE_DONE) return db_->LastError(rc, "recording an action");
  a.id = sqlite3_last_insert_rowid(db_->db());
  return a;
}

Result<StrikeOutcome> ConductStore::RecordVerdict(
    const std::string& account, const policy::Verdict& verdict,
    int64_t incident_id) {
  StrikeOutcome out;
  if (!policy_.enabled || account.empty() ||
      verdict.action == policy::Action::kAllow) {
    out.state = Peek(account);
    return out;
  }
  std::string ban_rule;
  for (const std::string& r : verdict.rules) {
    if (std::find(policy_.ban_at_once.begin(), policy_.ban_at_once.end(), r) !=
        policy_.ban_at_once.end()) {
      ban_rule = r;
      break;
    }
  }
  const double points = policy_.PointsFor(verdict);
  if (points <= 0 && ban_rule.empty()) {
    out.state = Peek(account);
    return out;
  }

  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.NowMs();
  // The database, not the cache, is the truth inside the transaction:
  // another process may have changed the account since the last refresh.
  WriteTransaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s.error();
  auto read = ReadAccount(account);
  if (!read.ok()) return read.error();
  Cached c = std::move(*read);
  const double before = LivePoints(c.live, now);

  auto insert = db_->Prepare(
      "INSERT INTO strikes(account, time_ms, expires_ms, points, verdict, "
      "categories, incident_id) VALUES(?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  const int64_t expires = now + policy_.strike_ttl_ms;
  insert->BindText(1, account);
  insert->Bind(2, now);
  insert->Bind(3, expires);
  insert->BindDouble(4, points);
  insert->BindText(5, policy::ActionName(verdict.action));
  const std::string categories = Joined(verdict.categories);
  insert->BindText(6, categories);
  insert->Bind(7, incident_id);
  const int rc = insert->Step();
  if (rc != SQLITE_DONE) return db_->LastError(rc, "recording a strike");
  c.live.emplace_back(expires, points);
  const double after = before + points;

  auto act = [&](policy::ConductStep step, int64_t until,
                 std::string reason) -> Status {
    EnforcementAction a;
    a.time_ms = now;
    a.account = account;
    a.action = policy::ConductStepName(step);
    a.until_ms = until;
    a.actor = "policy";
    a.reason = std::move(reason);
    auto added = InsertAction(std::move(a));
    if (!added.ok()) return added.error();
    out.actions.push_back(std::move(*added));
    return Ok{};
  };
  if (!ban_rule.empty()) {
    if (!c.banned) {
      c.banned = true;
      c.reason = "rule " + ban_rule + " bans at once";
      s = act(policy::ConductStep::kBan, 0, c.reason);
    }
  } else {
    const policy::Threshold* reached = nullptr;
    for (const policy::Threshold& t : policy_.thresholds) {
      if (t.points <= after) reached = &t;
    }
    if (reached != nullptr) {
      std::string why = Points(after) + " points reached the " +
                        policy::ConductStepName(reached->step) +
                        " threshold (" + Points(reached->points) + ")";
      switch (reached->step) {
        case policy::ConductStep::kBan:
          if (!c.banned) {
            c.banned = true;
            c.reason = why;
            s = act(reached->step, 0, why);
          }
          break;
        case policy::ConductStep::kSuspend: {
          // Every strike at this level suspends again (from now).
          const int64_t until = now + reached->duration_ms;
          if (!c.banned && until > c.suspended_until) {
            c.suspended_until = until;
            c.reason = why;
            s = act(reached->step, until, why);
          }
          break;
        }
        case policy::ConductStep::kWarn:
        case policy::ConductStep::kThrottle:
          // Announced once, when first crossed; the status itself follows
          // the live points.
          if (reached->points > before) s = act(reached->step, 0, why);
          break;
      }
    }
  }
  if (!s.ok()) return s.error();
  s = WriteAccount(account, c, now);
  if (!s.ok()) return s.error();
  s = tx.Commit();
  if (!s.ok()) return s.error();
  out.recorded = true;
  out.points = points;
  out.state = StateOf(account, c, now);
  cache_[account] = std::move(c);
  return out;
}

Result<EnforcementAction> ConductStore::Ban(const std::string& account,
                                            const std::string& actor,
                                            const std::string& reason) {
  if (account.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no account given");
  }
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.NowMs();
  WriteTransaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s.error();
  auto read = ReadAccount(account);
  if (!read.ok()) return read.error();
  Cached c = std::move(*read);
  if (c.banned) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "account " + account + " is already banned");
  }
  c.banned = true;
  c.reason = reason;
  s = WriteAccount(account, c, now);
  if (!s.ok()) return s.error();
  auto a = InsertAction({0, now, account, "ban", 0, actor, reason});
  if (!a.ok()) return a.error();
  s = tx.Commit();
  if (!s.ok()) return s.error();
  cache_[account] = std::move(c);
  return a;
}

Result<EnforcementAction> ConductStore::Lift(const std::string& account,
                                             const std::string& actor,
                                             const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.NowMs();
  WriteTransaction tx(db_.get());
  Status s = tx.Begin();
  if (!s.ok()) return s.error();
  auto read = ReadAccount(account);
  if (!read.ok()) return read.error();
  const Cached& c = *read;
  if (!c.banned && c.suspended_until <= now && c.live.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "account " + account +
                         " has no suspension, ban or live strike to lift");
  }
  auto forgive = db_->Prepare(
      "UPDATE strikes SET forgiven_ms = ? "
      "WHERE account = ? AND forgiven_ms = 0 AND expires_ms > ?");
  if (!forgive.ok()) return forgive.error();
  forgive->Bind(1, now);
  forgive->BindText(2, account);
  forgive->Bind(3, now);
  const int rc = forgive->Step();
  if (rc != SQLITE_DONE) return db_->LastError(rc, "forgiving strikes");
  s = WriteAccount(account, Cached{}, now);
  if (!s.ok()) return s.error();
  auto a = InsertAction({0, now, account, "lift", 0, actor, reason});
  if (!a.ok()) return a.error();
  s = tx.Commit();
  if (!s.ok()) return s.error();
  cache_.erase(account);
  return a;
}

Result<AccountState> ConductStore::Show(const std::string& account) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.NowMs();
  auto read = ReadAccount(account);
  if (!read.ok()) return read.error();
  AccountState st = StateOf(account, *read, now);
  auto strikes = db_->Prepare(
      "SELECT id, time_ms, expires_ms, points, verdict, categories, "
      "incident_id FROM strikes WHERE account = ? AND forgiven_ms = 0 AND "
      "expires_ms > ? ORDER BY id");
  if (!strikes.ok()) return strikes.error();
  strikes->BindText(1, account);
  strikes->Bind(2, now);
  int rc;
  while ((rc = strikes->Step()) == SQLITE_ROW) {
    st.strikes.push_back({strikes->Int(0), strikes->Int(1), strikes->Int(2),
                          strikes->Double(3), strikes->Text(4),
                          strikes->Text(5), strikes->Int(6)});
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading strikes");
  auto actions = db_->Prepare(
      "SELECT id, time_ms, action, until_ms, actor, reason FROM actions "
      "WHERE account = ? ORDER BY id");
  if (!actions.ok()) return actions.error();
  actions->BindText(1, account);
  while ((rc = actions->Step()) == SQLITE_ROW) {
    st.history.push_back({actions->Int(0), actions->Int(1), account,
                          actions->Text(2), actions->Int(3), actions->Text(4),
                          actions->Text(5)});
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading actions");
  return st;
}

}  // namespace bulwark::enforce

// Strikes, suspensions and bans, kept in DATA/conduct.db. Every change is
// committed (synchronous, WAL) before the call returns, so a response sent
// after it never announces a strike a crash could lose. What applies to an
// account is also kept in memory, because every request asks (Peek) before
// any detector runs; changes committed by another process (the CLI banning
// an account while the service runs) are picked up within kRefreshMs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/enforce/account.h"
#include "bulwark/policy/conduct.h"
#include "bulwark/policy/verdict.h"

namespace bulwark {
class SqliteConnection;
}

namespace bulwark::enforce {

// What recording a verdict did.
struct StrikeOutcome {
  bool recorded = false;  // false: nothing to strike (allow, no account,
                          // conduct disabled, no weight for its categories)
  double points = 0;      // the strike's points
  AccountState state;     // afterwards (without strikes and history)
  std::vector<EnforcementAction> actions;  // taken by the policy just now
};

class ConductStore {
 public:
  static constexpr int kSchemaVersion = 1;
  static constexpr int64_t kRefreshMs = 250;

  // Opens (creating) DATA_DIR/conduct.db. `policy` and `clock` must outlive
  // the store.
  static Result<std::unique_ptr<ConductStore>> Open(
      const std::string& data_dir, const policy::ConductPolicy& policy,
      const Clock& clock);
  ~ConductStore();
  ConductStore(const ConductStore&) = delete;
  ConductStore& operator=(const ConductStore&) = delete;

  // What applies to `account` now, from memory: status, points, until,
  // per_minute, reason (no strikes or history). Thread-safe and cheap.
  AccountState Peek(const std::string& account);

  // Everything about `account`: Peek plus its live strikes and its whole
  // history, read from the database.
  Result<AccountState> Show(const std::string& account);

  // The strike a verdict on `account` earns under the policy, and any
  // step it triggers: the thresholds (a suspension or ban when reached; a
  // warning or throttle when first crossed) or an immediate ban when one of
  // the verdict's rules is in ban_at_once.
  Result<StrikeOutcome> RecordVerdict(const std::string& account,
                                      const policy::Verdict& verdict,
                                      int64_t incident_id);

  // A ban by a person (`actor`, never a secret), with the reason given.
  Result<EnforcementAction> Ban(const std::string& account,
                                const std::string& actor,
                                const std::string& reason);

  // Ends a suspension or ban and forgives the live strikes behind it, so
  // the account starts again from zero. kNotFound when there is nothing to
  // lift (no restriction and no live strike).
  Result<EnforcementAction> Lift(const std::string& account,
                                 const std::string& actor,
                                 const std::string& reason);

 private:
  struct Cached {
    bool banned = false;
    int64_t suspended_until = 0;
    std::string reason;
    std::vector<std::pair<int64_t, double>> live;  // (expires_ms, points)
  };

  ConductStore(std::unique_ptr<SqliteConnection> db,
               const policy::ConductPolicy& policy, const Clock& clock);
  Status LoadCache();       // mu_ held
  void RefreshIfChanged();  // mu_ held
  AccountState StateOf(const std::string& account, const Cached& c,
                       int64_t now) const;
  Result<Cached> ReadAccount(const std::string& account);       // mu_ held
  Result<EnforcementAction> InsertAction(EnforcementAction a);  // mu_ held
  Status WriteAccount(const std::string& account, const Cached& c,
                      int64_t now);  // mu_ held

  std::mutex mu_;
  std::unique_ptr<SqliteConnection> db_;
  const policy::ConductPolicy& policy_;
  const Clock& clock_;
  std::map<std::string, Cached> cache_;  // accounts with anything live
  int64_t data_version_ = -1;
  int64_t checked_ms_ = 0;
};

}  // namespace bulwark::enforce

// Plain values describing an account's conduct: its strikes, the
// restriction they led to, and the enforcement actions taken. Accounts are
// the platform's own identifiers; Bulwark never invents them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::enforce {

// What currently applies to an account, most severe last.
enum class AccountStatus {
  kGood = 0,
  kWarned = 1,     // live points reached a warn threshold; served normally
  kThrottled = 2,  // limited to the threshold's requests per minute
  kSuspended = 3,  // refused until `until_ms`
  kBanned = 4,     // refused until lifted
};

const char* AccountStatusName(AccountStatus s);  // "good", "warned", ...

// One strike: a verdict against the account.
struct Strike {
  int64_t id = 0;
  int64_t time_ms = 0;
  int64_t expires_ms = 0;  // no longer counts from then on
  double points = 0;
  std::string verdict;      // "review", "block", "report"
  std::string categories;   // the verdict's categories, comma-separated
  int64_t incident_id = 0;  // 0: none recorded
};

// A step taken against (or for) an account: by the strike policy or by a
// person.
struct EnforcementAction {
  int64_t id = 0;
  int64_t time_ms = 0;
  std::string account;
  std::string action;    // "warn", "throttle", "suspend", "ban", "lift"
  int64_t until_ms = 0;  // suspend: when it ends; 0 otherwise
  std::string actor;     // "policy" or who did it ("key:NAME", "cli")
  std::string reason;
};

struct AccountState {
  std::string account;
  AccountStatus status = AccountStatus::kGood;
  double points = 0;            // sum of live strikes
  int64_t until_ms = 0;         // kSuspended: when it ends
  double per_minute = 0;        // kThrottled: allowed requests per minute
  std::string reason;           // why a suspension or ban applies
  std::vector<Strike> strikes;  // live ones, oldest first
  std::vector<EnforcementAction> history;  // every action, oldest first
};

}  // namespace bulwark::enforce

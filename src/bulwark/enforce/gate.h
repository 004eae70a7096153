// The check every request passes before any detector runs: is the account
// banned or suspended, throttled by its strikes, or over its rate limit; is
// the API key over its own. Cheap: memory only (ConductStore::Peek and
// token buckets).
#pragma once

#include <cstdint>
#include <string>

#include "bulwark/core/clock.h"
#include "bulwark/enforce/account.h"
#include "bulwark/enforce/conduct_store.h"
#include "bulwark/enforce/rate_limiter.h"
#include "bulwark/policy/conduct.h"

namespace bulwark::enforce {

struct Admission {
  enum class Outcome {
    kAdmitted,
    kBanned,       // refuse (HTTP 403)
    kSuspended,    // refuse until until_ms (HTTP 403)
    kThrottled,    // the account's strikes limit its rate (HTTP 429)
    kRateLimited,  // the account's or key's rate limit (HTTP 429)
  };
  Outcome outcome = Outcome::kAdmitted;
  int64_t until_ms = 0;        // kSuspended
  int64_t retry_after_ms = 0;  // kThrottled, kRateLimited
  std::string reason;          // for people; names the limit or restriction
  AccountStatus status = AccountStatus::kGood;  // the account's, if any

  bool admitted() const { return outcome == Outcome::kAdmitted; }
};

// Machine-readable names: "banned", "suspended", "throttled",
// "rate_limited", "admitted".
const char* OutcomeName(Admission::Outcome o);

class Gate {
 public:
  // `store` may be null (conduct disabled): then only rate limits apply.
  // Everything passed must outlive the gate.
  Gate(ConductStore* store, const policy::ConductPolicy& policy,
       const Clock& clock)
      : store_(store), policy_(policy), limiter_(clock) {}

  // `account` and `api_key` may be empty (not sent / no authentication).
  Admission Admit(const std::string& account, const std::string& api_key);

 private:
  ConductStore* store_;
  const policy::ConductPolicy& policy_;
  RateLimiter limiter_;
};

}  // namespace bulwark::enforce

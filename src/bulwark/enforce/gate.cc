#include "bulwark/enforce/gate.h"

#include <algorithm>

namespace bulwark::enforce {

const char* OutcomeName(Admission::Outcome o) {
  switch (o) {
    case Admission::Outcome::kAdmitted:
      return "admitted";
    case Admission::Outcome::kBanned:
      return "banned";
    case Admission::Outcome::kSuspended:
      return "suspended";
    case Admission::Outcome::kThrottled:
      return "throttled";
    case Admission::Outcome::kRateLimited:
      return "rate_limited";
  }
  return "admitted";
}

Admission Gate::Admit(const std::string& account, const std::string& api_key) {
  Admission a;
  // Key ids and account ids share no namespace with each other: prefixes
  // keep one from ever drawing on the other's bucket.
  if (!api_key.empty()) {
    const int64_t wait = limiter_.Take("key:" + api_key, policy_.api_key_rate);
    if (wait > 0) {
      a.outcome = Admission::Outcome::kRateLimited;
      a.retry_after_ms = wait;
      a.reason = "the API key is over its rate limit";
      return a;
    }
  }
  if (account.empty()) return a;
  if (store_ != nullptr) {
    const AccountState st = store_->Peek(account);
    a.status = st.status;
    switch (st.status) {
      case AccountStatus::kBanned:
        a.outcome = Admission::Outcome::kBanned;
        a.reason = "the account is banned: " + st.reason;
        return a;
      case AccountStatus::kSuspended:
        a.outcome = Admission::Outcome::kSuspended;
        a.until_ms = st.until_ms;
        a.reason = "the account is suspended: " + st.reason;
        return a;
      case AccountStatus::kThrottled: {
        policy::RateLimit throttle;
        throttle.per_minute = st.per_minute;
        throttle.burst = std::max(1.0, st.per_minute / 6);
        const int64_t wait = limiter_.Take("throttle:" + account, throttle);
        if (wait > 0) {
          a.outcome = Admission::Outcome::kThrottled;
          a.retry_after_ms = wait;
          a.reason = "the account is throttled: " + st.reason;
          return a;
        }
        break;
      }
      case AccountStatus::kGood:
      case AccountStatus::kWarned:
        break;
    }
  }
  const int64_t wait =
      limiter_.Take("account:" + account, policy_.account_rate);
  if (wait > 0) {
    a.outcome = Admission::Outcome::kRateLimited;
    a.retry_after_ms = wait;
    a.reason = "the account is over its rate limit";
  }
  return a;
}

}  // namespace bulwark::enforce

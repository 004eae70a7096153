// The conduct part of a policy: how blocked and held content turns into
// strikes on the account that sent it, and what the strikes lead to. The
// policy only describes it; enforce/ keeps the strikes and applies it.
//
//   [conduct]
//   strike_ttl = "90d"            # how long a strike counts
//   ban_at_once = ["known-csam"]  # policy rules whose firing bans at once
//
//   [[conduct.weight]]            # points per strike, by verdict category
//   category = "sexual/minors"
//   block = 3                     # when the verdict is block
//   review = 1                    # when it is review (report: block's)
//
//   [[conduct.threshold]]         # in ascending order of points
//   points = 6
//   action = "throttle"           # warn | throttle | suspend | ban
//   per_minute = 6                # throttle: requests allowed per minute
//   # duration = "24h"            # suspend: how long
//
//   [conduct.rate_limit.account]  # token buckets, independent of strikes
//   per_minute = 120
//   burst = 30
//   [conduct.rate_limit.api_key]
//   per_minute = 1200
//   burst = 200
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/policy/verdict.h"

namespace bulwark::policy {

// What a threshold does once an account's points reach it; later steps are
// more severe.
enum class ConductStep { kWarn = 0, kThrottle = 1, kSuspend = 2, kBan = 3 };

const char* ConductStepName(ConductStep s);  // "warn", "throttle", ...

struct StrikeWeight {
  std::string category;  // a verdict category ("sexual/minors")
  double block = 0;      // points when the verdict is block (and report,
                         // unless `report` is given)
  double review = 0;     // points when the verdict is review
  double report = -1;    // < 0: same as block
};

struct Threshold {
  double points = 0;  // > 0; the step applies once the live points reach it
  ConductStep step = ConductStep::kWarn;
  double per_minute = 0;    // kThrottle: requests per minute allowed (> 0)
  int64_t duration_ms = 0;  // kSuspend: how long (> 0)
};

// A token bucket: `per_minute` tokens flow in, at most `burst` are kept.
// per_minute == 0: no limit.
struct RateLimit {
  double per_minute = 0;
  double burst = 0;  // defaults to per_minute / 6 (ten seconds' worth), >= 1
  bool limited() const { return per_minute > 0; }
};

struct ConductPolicy {
  // False when the policy has no [conduct] section: no strikes are kept and
  // no account is ever restricted by conduct (rate limits still apply if
  // set, which they cannot be without the section).
  bool enabled = false;
  int64_t strike_ttl_ms = int64_t{90} * 86400 * 1000;
  std::vector<StrikeWeight> weights;
  std::vector<Threshold> thresholds;     // ascending by points
  std::vector<std::string> ban_at_once;  // names of policy rules
  RateLimit account_rate, api_key_rate;

  // Points for one verdict: the largest weight over its categories (one
  // request is one strike, however many categories it touches); 0 for
  // allow or when no category has a weight.
  double PointsFor(const Verdict& v) const;
};

}  // namespace bulwark::policy

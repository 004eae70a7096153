#include "bulwark/enforce/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace bulwark::enforce {
namespace {

double Refilled(double tokens, int64_t elapsed_ms,
                const policy::RateLimit& limit) {
  if (elapsed_ms <= 0) return tokens;
  return std::min(limit.burst, tokens + static_cast<double>(elapsed_ms) *
                                            limit.per_minute / 60000.0);
}

}  // namespace

int64_t RateLimiter::Take(const std::string& key,
                          const policy::RateLimit& limit) {
  if (!limit.limited()) return 0;
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (fresh) {
    b.tokens = limit.burst;
  } else {
    b.tokens = Refilled(b.tokens, now - b.at_ms, limit);
  }
  b.at_ms = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    if (fresh && buckets_.size() > max_keys_) Sweep(now, limit);
    return 0;
  }
  const double missing = 1 - b.tokens;
  return static_cast<int64_t>(std::ceil(missing * 60000.0 / limit.per_minute));
}

void RateLimiter::Sweep(int64_t now, const policy::RateLimit& limit) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (Refilled(it->second.tokens, now - it->second.at_ms, limit) >=
        limit.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace bulwark::enforce

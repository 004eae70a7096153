// Token buckets keyed by account or API key, in memory: a restart refills
// every bucket, which errs on the side of serving. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bulwark/core/clock.h"
#include "bulwark/policy/conduct.h"

namespace bulwark::enforce {

class RateLimiter {
 public:
  // `max_keys` bounds memory: past it, buckets that have refilled (the same
  // as new ones) are dropped.
  explicit RateLimiter(const Clock& clock, size_t max_keys = 100000)
      : clock_(clock), max_keys_(max_keys) {}

  // Takes a token from `key`'s bucket under `limit`: 0 when one was there,
  // else the milliseconds until one will be (nothing taken). An unlimited
  // `limit` always answers 0.
  int64_t Take(const std::string& key, const policy::RateLimit& limit);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;  // when `tokens` was last brought up to date
  };
  void Sweep(int64_t now, const policy::RateLimit& limit);

  const Clock& clock_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace bulwark::enforce

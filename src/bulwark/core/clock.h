// Wall-clock time for whatever expires or is stamped: strikes, suspensions,
// retention periods, audit records. Passed in rather than read from the
// system, so tests can move time forward without sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (UTC).
  virtual int64_t NowMs() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// A clock that moves only when told to; safe to read and move from several
// threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  void Set(int64_t now_ms) { now_ms_.store(now_ms); }
  void Advance(int64_t ms) { now_ms_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_ms_;
};

// "2026-11-28T16:17:34.120Z" (UTC, milliseconds), the form every record
// and API response carries.
std::string FormatUtcMs(int64_t ms);

// The inverse for "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" and
// "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC only: a zone offset is refused rather than
// guessed at).
Result<int64_t> ParseUtcMs(std::string_view text);

}  // namespace bulwark

#include "bulwark/core/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace bulwark {

int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatUtcMs(int64_t ms) {
  // Floor division, so times before 1970 keep a positive millisecond part.
  int64_t secs = ms / 1000, milli = ms % 1000;
  if (milli < 0) {
    milli += 1000;
    secs -= 1;
  }
  const auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];  // room for any int the compiler thinks tm may hold
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(milli));
  return buf;
}

namespace {

// Digits [from, from + n) of `s` as a number, or -1.
int Digits(std::string_view s, size_t from, size_t n) {
  if (from + n > s.size()) return -1;
  int v = 0;
  for (size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

Result<int64_t> ParseUtcMs(std::string_view text) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a UTC time: \"" + std::string(text) +
                         "\" (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
  };
  const int y = Digits(text, 0, 4), mo = Digits(text, 5, 2),
            d = Digits(text, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || text[4] != '-' ||
      text[7] != '-') {
    return bad();
  }
  int64_t ms =
      DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) *
      86400000;
  if (text.size() == 10) return ms;
  const int h = Digits(text, 11, 2), mi = Digits(text, 14, 2),
            s = Digits(text, 17, 2);
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':' || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || s < 0 || s > 60) {
    return bad();
  }
  ms += (h * 3600 + mi * 60 + s) * int64_t{1000};
  size_t at = 19;
  if (text[at] == '.') {
    const int frac = Digits(text, at + 1, 3);
    if (frac < 0) return bad();
    ms += frac;
    at += 4;
  }
  if (at + 1 != text.size() || text[at] != 'Z') return bad();
  return ms;
}

}  // namespace bulwark

#include "bulwark/scan/progress.h"

#include <cstdio>
#include <string>

namespace bulwark::scan {
namespace {

std::string Duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

std::string Plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

ProgressReporter::ProgressReporter(ProgressMode mode, std::ostream& out,
                                   uint64_t total_shards,
                                   std::chrono::milliseconds interval)
    : mode_(mode),
      out_(out),
      total_shards_(total_shards),
      interval_(interval),
      start_(std::chrono::steady_clock::now()) {
  if (mode_ != ProgressMode::kQuiet) thread_ = std::thread([this] { Loop(); });
}

ProgressReporter::~ProgressReporter() {
  if (mode_ == ProgressMode::kQuiet) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  out_ << (mode_ == ProgressMode::kTerminal ? "\r\x1b[K" : "") << Line() << '\n'
       << std::flush;
}

std::string ProgressReporter::Line() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  const uint64_t done = counters_.shards_done.load();
  const double secs = elapsed > 0 ? elapsed : 1e-9;
  char rates[96];
  std::snprintf(rates, sizeof rates, "%.0f samples/s, %.1f MB/s",
                static_cast<double>(counters_.samples.load()) / secs,
                static_cast<double>(counters_.bytes.load()) / 1e6 / secs);
  std::string line = std::to_string(done) + "/" +
                     std::to_string(total_shards_) + " shards, " +
                     Plural(counters_.samples.load(), "sample") + ", " + rates +
                     ", " + Plural(counters_.hits.load(), "hit") + ", " +
                     Plural(counters_.errors.load(), "error");
  if (done > 0 && done < total_shards_) {
    line += ", ETA " + Duration(elapsed / static_cast<double>(done) *
                                static_cast<double>(total_shards_ - done));
  } else if (done == total_shards_) {
    line += ", " + Duration(elapsed);
  }
  return line;
}

void ProgressReporter::Loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    if (mode_ == ProgressMode::kTerminal) {
      out_ << "\r\x1b[K" << Line() << std::flush;
    } else {
      out_ << Line() << '\n' << std::flush;
    }
  }
}

}  // namespace bulwark::scan

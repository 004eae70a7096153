// Live progress of a scan on stderr: a line rewritten in place on a
// terminal, a plain line every `interval` otherwise (logs of batch jobs),
// nothing when quiet. Counters are updated by the scan as shards finish
// and samples stream past; the reporter's own thread only reads them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <thread>

namespace bulwark::scan {

struct ProgressCounters {
  std::atomic<uint64_t> shards_done{0};
  std::atomic<uint64_t> samples{0};
  std::atomic<uint64_t> images{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> hits{0};  // samples to remove
  std::atomic<uint64_t> errors{0};
};

enum class ProgressMode { kQuiet, kTerminal, kLines };

class ProgressReporter {
 public:
  // `total_shards` is what this run scans (shards skipped as already done
  // are not counted).
  ProgressReporter(ProgressMode mode, std::ostream& out, uint64_t total_shards,
                   std::chrono::milliseconds interval);
  ~ProgressReporter();  // prints the final line and stops the thread

  ProgressCounters& counters() { return counters_; }

  // "12/100 shards, 4,210 samples/s, 38.1 MB/s, 3 hits, 1 error, ETA 5m12s"
  std::string Line() const;

 private:
  void Loop();

  ProgressMode mode_;
  std::ostream& out_;
  uint64_t total_shards_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point start_;
  ProgressCounters counters_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bulwark::scan

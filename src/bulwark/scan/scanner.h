// The scan pipeline: one reader thread streams samples out of the shards a
// feed hands out, `jobs` workers hash and match them, and the calling
// thread writes each shard's results (and its filtered copy) in order and
// hands the finished results back to the feed. Memory is bounded by the
// pipeline's window and byte budget, never by shard size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/index/matcher.h"
#include "bulwark/scan/progress.h"
#include "bulwark/scan/sample_checker.h"
#include "bulwark/scan/shard_list.h"
#include "bulwark/scan/shard_result.h"
#include "bulwark/scan/source.h"

namespace bulwark::scan {

struct ScanOptions {
  CheckSettings check;
  SourceOptions source;
  int jobs = 1;  // hashing threads, >= 1
  std::string out_dir;
  // When set, a copy of each tar shard without its hit samples is written
  // here under the shard's file name. Directories are not copied.
  std::string filtered_dir;
  // Sample bytes in flight between the reader and the writer.
  uint64_t max_inflight_bytes = 512ull << 20;
};

// Where the shards to scan come from and where finished results go: the
// local list (commit into OUT), or an MPI coordinator.
class ShardFeed {
 public:
  virtual ~ShardFeed() = default;
  // The next shard to scan, as an index into the shard list; nullopt when
  // none is left. Called on the reader thread only.
  virtual std::optional<size_t> Next() = 0;
  // Shard `index` is finished: its results are in `staging_dir` (see
  // shard_result.h), which the feed now owns. Called on the scan's
  // calling thread, in the order the shards were handed out.
  virtual Status Deliver(size_t index, const std::string& staging_dir,
                         const ShardStats& stats) = 0;
};

struct ScanTotals {
  uint64_t shards = 0;
  uint64_t failed_shards = 0;  // could not be read to the end
  uint64_t hit_samples = 0;
};

// Scans every shard the feed hands out. Fails only when results cannot be
// written or delivered (disk full, coordinator gone): the scan stops, the
// shards in flight are lost and the ones delivered stand.
Result<ScanTotals> ScanShards(const std::vector<ShardSpec>& shards,
                              ShardFeed& feed, const index::Snapshot& snapshot,
                              const ScanOptions& options,
                              ProgressCounters* progress);

// The feed of a single-process run: the given shards in order, each
// committed into OUT/shards as it finishes.
class LocalFeed : public ShardFeed {
 public:
  LocalFeed(std::vector<size_t> todo, std::string out_dir,
            const std::vector<ShardSpec>& shards)
      : todo_(std::move(todo)), out_dir_(std::move(out_dir)), shards_(shards) {}
  std::optional<size_t> Next() override;
  Status Deliver(size_t index, const std::string& staging_dir,
                 const ShardStats& stats) override;

 private:
  std::vector<size_t> todo_;
  size_t next_ = 0;
  std::string out_dir_;
  const std::vector<ShardSpec>& shards_;
};

// The shards (indices into `shards`) that still need scanning into
// `out_dir`: every one with `force`, else those without results marked
// complete for the same path, and, when `filtered_dir` is set, tar shards
// whose filtered copy is missing there.
Result<std::vector<size_t>> ShardsToScan(const std::vector<ShardSpec>& shards,
                                         const std::string& out_dir, bool force,
                                         const std::string& filtered_dir);

// Where the filtered copy of a tar shard goes: `filtered_dir` plus the
// shard's file name.
std::string FilteredPath(const ShardSpec& shard,
                         const std::string& filtered_dir);

}  // namespace bulwark::scan

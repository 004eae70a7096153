// One shard's results on disk. A scan writes them into a private staging
// directory while the shard streams through, then moves the directory into
// OUT/shards/ID in one rename: a shard's results are there whole or not at
// all, whenever the process is killed. A shard whose results say
// "complete" is skipped by the next run; anything else is scanned again.
//
//   OUT/shards/ID/matches.jsonl   one line per (member, bank entry) hit
//   OUT/shards/ID/errors.jsonl    members that could not be checked, and why
//   OUT/shards/ID/removal.txt     keys of the samples to drop, sorted
//   OUT/shards/ID/stats.json      counts, timing, status (written last)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::scan {

inline constexpr const char* kMatchesFile = "matches.jsonl";
inline constexpr const char* kErrorsFile = "errors.jsonl";
inline constexpr const char* kRemovalFile = "removal.txt";
inline constexpr const char* kStatsFile = "stats.json";

struct ShardStats {
  std::string id;
  std::string path;
  bool complete = false;  // every member was read; false: `error` says why
  std::string error;
  uint64_t samples = 0;      // samples (keys) seen
  uint64_t images = 0;       // image members checked
  uint64_t hit_samples = 0;  // samples listed in removal.txt
  uint64_t matches = 0;      // lines in matches.jsonl
  uint64_t errors = 0;       // lines in errors.jsonl
  uint64_t bytes = 0;        // read from disk (compressed size for .tar.gz)
  double start_time = 0;     // Unix seconds
  double end_time = 0;
  double seconds = 0;  // from the first sample read to the results written

  // The counts, without times and paths: what two scans of the same data
  // must agree on.
  bool SameCounts(const ShardStats& o) const;
};

// img2dataset-style stats object (pretty-printed JSON, trailing newline).
std::string ShardStatsJson(const ShardStats& stats);
Result<ShardStats> ParseShardStats(std::string_view json);

// OUT/shards/ID.
std::string ShardDir(const std::string& out_dir, const std::string& id);

// The stats of the results committed for `id` in `out_dir`, nullopt when
// there are none.
Result<std::optional<ShardStats>> ReadShardStats(const std::string& out_dir,
                                                 const std::string& id);

// Ids of every shard with committed results in `out_dir`, sorted.
Result<std::vector<std::string>> ListShardResults(const std::string& out_dir);

class ShardResultWriter {
 public:
  // A fresh staging directory under OUT/.staging for shard `id`.
  static Result<std::unique_ptr<ShardResultWriter>> Create(
      const std::string& out_dir, const std::string& id);
  ~ShardResultWriter();  // removes the staging directory unless handed off

  // One JSON object per call, without the newline.
  Status AddMatch(std::string_view json_line);
  Status AddError(std::string_view json_line);
  // Hit samples are few; their keys are held in memory and sorted once.
  void AddRemoval(std::string key);

  // Writes removal.txt and stats.json, flushes everything to disk and
  // returns the staging directory, now owned by the caller (to commit with
  // CommitShard, or to read and send elsewhere).
  Result<std::string> Finish(const ShardStats& stats);

 private:
  ShardResultWriter() = default;
  std::string dir_;
  int matches_fd_ = -1;
  int errors_fd_ = -1;
  std::vector<std::string> removal_;
  bool handed_off_ = false;
};

// Moves a finished staging directory to OUT/shards/ID, replacing earlier
// results for the same id.
Status CommitShard(const std::string& staging_dir, const std::string& out_dir,
                   const std::string& id);

// A fresh, empty staging directory for `id` under OUT/.staging (named by
// host and process so concurrent writers never collide).
Result<std::string> MakeStagingDir(const std::string& out_dir,
                                   const std::string& id);

// Removes staging directories left by processes of this host that are no
// longer running (a killed run), leaving live writers alone.
void RemoveStaleStaging(const std::string& out_dir);

}  // namespace bulwark::scan

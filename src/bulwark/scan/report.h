// The run's report in OUT, assembled from every shard's committed results
// (OUT/shards/ID): the files a curator reads. Shards appear in id order, so
// one run, a resumed run, and the merge of partitioned runs all produce the
// same files.
//
//   OUT/matches.jsonl    every shard's matches, concatenated
//   OUT/errors.jsonl     every shard's errors, concatenated
//   OUT/removal.txt      every sample to drop, sorted (byte order), unique
//   OUT/ID_stats.json    each shard's stats (img2dataset's layout)
//   OUT/summary.json     totals, the settings, and shards that failed
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::scan {

struct ReportTotals {
  uint64_t shards = 0;
  std::vector<std::string> failed_shards;  // ids whose status is "error"
  uint64_t samples = 0, images = 0, hit_samples = 0, matches = 0, errors = 0;
  uint64_t bytes = 0;
};

// Rebuilds the report files from OUT/shards. Each file is replaced
// atomically.
Result<ReportTotals> AssembleReport(const std::string& out_dir);

// Merges the results of scans of disjoint parts (`--partition`, separate
// machines) into `out_dir`: copies every part's shard results into
// out_dir/shards and assembles the report. Fails, writing nothing, if the
// parts were scanned with different settings or hold results for the same
// shard id from different paths.
Result<ReportTotals> MergeScans(const std::vector<std::string>& parts,
                                const std::string& out_dir);

// The scan's settings (a JSON object) are kept in OUT/scan.json so that a
// resumed run cannot mix results of different settings. Writes them on the
// first run; afterwards fails with kInvalidArgument when they differ,
// unless `overwrite`.
Status EnsureSameSettings(const std::string& out_dir,
                          const std::string& settings_json, bool overwrite);

}  // namespace bulwark::scan

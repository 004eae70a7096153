// A scan spread over the ranks of an MPI job (`mpirun -np K bulwark scan
// --mpi ...`). Rank 0 coordinates: it checks the settings, decides which
// shards still need scanning, hands them out one at a time to whichever
// rank asks next (so fast and slow nodes share the work), receives each
// finished shard's result files, commits them into --out and writes the
// report. The other ranks scan with all their cores. Every rank must see
// the shards at the same paths; only rank 0 needs to write --out (workers
// stage their results under --out/.staging on their own file system).
//
// Results are committed shard by shard as they arrive, so when a rank dies
// and mpirun ends the job, only the shards in flight are lost: running the
// same command again resumes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/index/matcher.h"
#include "bulwark/scan/progress.h"
#include "bulwark/scan/report.h"
#include "bulwark/scan/scanner.h"

namespace bulwark::scan {

// Initialises MPI, runs this rank's part and finalises MPI. Returns the
// report on rank 0 and nullopt on the other ranks. Needs at least 2 ranks.
Result<std::optional<ReportTotals>> RunMpiScan(
    const std::vector<ShardSpec>& shards, const index::Snapshot& snapshot,
    const ScanOptions& options, const std::string& settings_json, bool force,
    ProgressMode progress, std::chrono::milliseconds progress_interval);

}  // namespace bulwark::scan

#include "bulwark/scan/mpi_scan.h"

// The C API only: OpenMPI's deprecated C++ bindings would need their own
// library.
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "bulwark/core/durable_file.h"
#include "bulwark/scan/shard_result.h"

namespace bulwark::scan {
namespace {

enum Tag : int {
  kRequest = 1,  // worker -> 0: give me a shard (empty message)
  kAssign = 2,   // 0 -> worker: int64 shard index, or -1 when none is left
  kResult = 3,   // worker -> 0: a finished shard's result files
};

constexpr const char* kResultFiles[] = {kMatchesFile, kErrorsFile, kRemovalFile,
                                        kStatsFile};

// A shard's result message: the shard index (8 bytes), then each file as an
// 8-byte length and its bytes, in kResultFiles order.
void PutU64(std::string& buf, uint64_t v) {
  buf.append(reinterpret_cast<const char*>(&v), sizeof v);
}

bool GetU64(const std::string& buf, size_t& pos, uint64_t& v) {
  if (buf.size() - pos < sizeof v) return false;
  std::memcpy(&v, buf.data() + pos, sizeof v);
  pos += sizeof v;
  return true;
}

Result<std::string> PackResult(size_t index, const std::string& dir) {
  std::string buf;
  PutU64(buf, index);
  for (const char* file : kResultFiles) {
    std::ifstream in(dir + "/" + file, std::ios::binary);
    if (!in)
      return MakeError(ErrorCode::kIo, "cannot read " + dir + "/" + file);
    std::stringstream s;
    s << in.rdbuf();
    const std::string content = s.str();
    PutU64(buf, content.size());
    buf += content;
  }
  if (buf.size() > static_cast<size_t>(INT_MAX)) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "results of one shard exceed 2 GiB; scan it without MPI");
  }
  return buf;
}

// Rank 0: writes a received result into a staging directory and commits it.
Result<ShardStats> CommitPacked(const std::string& buf,
                                const std::vector<ShardSpec>& shards,
                                const std::string& out_dir) {
  size_t pos = 0;
  uint64_t index = 0;
  if (!GetU64(buf, pos, index) || index >= shards.size()) {
    return MakeError(ErrorCode::kCorrupt, "malformed result from a worker");
  }
  const std::string& id = shards[index].id;
  auto dir = MakeStagingDir(out_dir, id);
  if (!dir.ok()) return dir.error();
  std::string stats_json;
  for (const char* file : kResultFiles) {
    uint64_t n = 0;
    if (!GetU64(buf, pos, n) || buf.size() - pos < n) {
      return MakeError(ErrorCode::kCorrupt, "malformed result for " + id);
    }
    std::ofstream out(*dir + "/" + file, std::ios::binary | std::ios::trunc);
    out.write(buf.data() + pos, static_cast<std::streamsize>(n));
    out.close();
    if (!out) return MakeError(ErrorCode::kIo, "cannot write " + *dir);
    Status s = SyncPath(*dir + "/" + file);
    if (!s.ok()) return s.error();
    if (std::strcmp(file, kStatsFile) == 0) stats_json = buf.substr(pos, n);
    pos += n;
  }
  auto stats = ParseShardStats(stats_json);
  if (!stats.ok()) return stats.error();
  Status s = CommitShard(*dir, out_dir, id);
  if (!s.ok()) return s.error();
  return *stats;
}

// A worker's feed: asks rank 0 for each shard and sends results back. The
// reader thread (Next) and the writing thread (Deliver) both talk to rank
// 0, one at a time.
class WorkerFeed : public ShardFeed {
 public:
  std::optional<size_t> Next() override {
    std::lock_guard lock(mu_);
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
    int64_t index = -1;
    MPI_Recv(&index, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (index < 0) return std::nullopt;
    return static_cast<size_t>(index);
  }

  Status Deliver(size_t index, const std::string& staging_dir,
                 const ShardStats&) override {
    auto packed = PackResult(index, staging_dir);
    std::error_code ec;
    std::filesystem::remove_all(staging_dir, ec);
    if (!packed.ok()) return packed.error();
    std::lock_guard lock(mu_);
    MPI_Send(packed->data(), static_cast<int>(packed->size()), MPI_BYTE, 0,
             kResult, MPI_COMM_WORLD);
    return Ok{};
  }

 private:
  std::mutex mu_;
};

// Rank 0's loop: answers requests until every worker has been told there is
// nothing left, committing results as they come.
Status Coordinate(const std::vector<ShardSpec>& shards,
                  const std::vector<size_t>& todo, const std::string& out_dir,
                  int workers, ProgressCounters& progress) {
  size_t next = 0;       // into todo; also the number of shards handed out
  size_t received = 0;   // results committed
  int active = workers;  // workers not yet told that nothing is left
  std::string buf;
  // A worker's reader asks for its next shard while earlier ones are still
  // being hashed, so "nothing left" comes before the last results.
  while (active > 0 || received < next) {
    MPI_Status st;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == kRequest) {
      MPI_Recv(nullptr, 0, MPI_BYTE, st.MPI_SOURCE, kRequest, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      int64_t index =
          next < todo.size() ? static_cast<int64_t>(todo[next++]) : -1;
      if (index < 0) --active;
      MPI_Send(&index, 1, MPI_INT64_T, st.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
    } else if (st.MPI_TAG == kResult) {
      int n = 0;
      MPI_Get_count(&st, MPI_BYTE, &n);
      buf.resize(static_cast<size_t>(n));
      MPI_Recv(buf.data(), n, MPI_BYTE, st.MPI_SOURCE, kResult, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      auto stats = CommitPacked(buf, shards, out_dir);
      if (!stats.ok()) return stats.error();
      ++received;
      progress.shards_done += 1;
      progress.samples += stats->samples;
      progress.images += stats->images;
      progress.bytes += stats->bytes;
      progress.hits += stats->hit_samples;
      progress.errors += stats->errors;
    } else {
      return MakeError(ErrorCode::kInternal, "unexpected MPI message");
    }
  }
  return Ok{};
}

}  // namespace

Result<std::optional<ReportTotals>> RunMpiScan(
    const std::vector<ShardSpec>& shards, const index::Snapshot& snapshot,
    const ScanOptions& options, const std::string& settings_json, bool force,
    ProgressMode progress, std::chrono::milliseconds progress_interval) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  auto finish = [](auto result) {
    MPI_Finalize();
    return result;
  };
  using R = Result<std::optional<ReportTotals>>;
  if (provided < MPI_THREAD_SERIALIZED) {
    return finish(R(MakeError(ErrorCode::kUnsupported,
                              "this MPI library does not allow calls from "
                              "more than one thread")));
  }
  if (size < 2) {
    return finish(R(MakeError(ErrorCode::kInvalidArgument,
                              "--mpi needs at least 2 ranks (rank 0 "
                              "coordinates); run under mpirun -np K")));
  }

  // Rank 0 prepares --out; everyone learns whether that worked.
  std::vector<size_t> todo;
  std::optional<Error> setup_error;
  if (rank == 0) {
    Status s = EnsureSameSettings(options.out_dir, settings_json, force);
    if (s.ok()) {
      RemoveStaleStaging(options.out_dir);
      auto t =
          ShardsToScan(shards, options.out_dir, force, options.filtered_dir);
      if (t.ok()) {
        todo = std::move(*t);
      } else {
        setup_error = t.error();
      }
    } else {
      setup_error = s.error();
    }
  }
  int ok = setup_error ? 0 : 1;
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok) {
    if (setup_error) return finish(R(*setup_error));
    return finish(R(std::optional<ReportTotals>()));  // rank 0 says why
  }
  // Every rank must match against the same banks: a worker that opened
  // another data directory (mpirun does not pass BULWARK_DATA on unless
  // told to) would otherwise report nothing, silently.
  int64_t mine[2] = {snapshot.seq(),
                     static_cast<int64_t>(snapshot.entry_count())};
  int64_t rank0[2] = {mine[0], mine[1]};
  MPI_Bcast(rank0, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
  int same = mine[0] == rank0[0] && mine[1] == rank0[1];
  int all_same = 0;
  MPI_Allreduce(&same, &all_same, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (!all_same) {
    const std::string msg =
        "rank " + std::to_string(rank) + " sees banks at change " +
        std::to_string(mine[0]) + " with " + std::to_string(mine[1]) +
        " entries, rank 0 at change " + std::to_string(rank0[0]) + " with " +
        std::to_string(rank0[1]) +
        "; give every rank the same data directory (--data DIR, or mpirun "
        "-x BULWARK_DATA)";
    if (!same) std::cerr << "bulwark scan: " << msg << '\n';
    return finish(
        R(MakeError(ErrorCode::kInvalidArgument,
                    rank == 0 ? "the ranks disagree on the banks" : msg)));
  }

  if (rank != 0) {
    WorkerFeed feed;
    auto totals = ScanShards(shards, feed, snapshot, options, nullptr);
    if (!totals.ok()) {
      std::cerr << "bulwark scan: rank " << rank << ": "
                << totals.error().message << '\n';
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return finish(R(std::optional<ReportTotals>()));
  }

  Status s = Ok{};
  {
    ProgressReporter reporter(progress, std::cerr, todo.size(),
                              progress_interval);
    s = Coordinate(shards, todo, options.out_dir, size - 1,
                   reporter.counters());
  }
  if (!s.ok()) {
    std::cerr << "bulwark scan: " << s.error().message << '\n';
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  auto report = AssembleReport(options.out_dir);
  if (!report.ok()) return finish(R(report.error()));
  return finish(R(std::optional<ReportTotals>(std::move(*report))));
}

}  // namespace bulwark::scan

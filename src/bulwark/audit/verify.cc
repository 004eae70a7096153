#include "bulwark/audit/verify.h"

#include <algorithm>
#include <map>

namespace bulwark::audit {
namespace {

std::string N(int64_t v) { return std::to_string(v); }

// The walk's state between records.
class Walker {
 public:
  Walker(AuditReader& reader, const VerifyOptions& options,
         const std::map<int64_t, Checkpoint>& checkpoints, VerifyReport& report)
      : reader_(reader),
        options_(options),
        checkpoints_(checkpoints),
        report_(report) {}

  // False once a problem is recorded (the walk stops there).
  bool Visit(const Record& r) {
    if (r.seq != expected_) return Gap(r);
    if (ComputeHash(r) != r.hash) return Mismatch(r);
    if (r.prev_hash != prev_hash_) return BrokenLink(r);
    auto cp = checkpoints_.find(r.seq);
    if (cp != checkpoints_.end() && !CheckCheckpoint(cp->second, r)) {
      return false;
    }
    ++report_.records;
    report_.last_seq = r.seq;
    report_.last_hash = r.hash;
    prev_hash_ = r.hash;
    ++expected_;
    return true;
  }

  // A read error while diagnosing, returned after the walk.
  const std::optional<Error>& error() const { return error_; }

 private:
  bool Fail(int64_t seq, ProblemKind kind, std::string message) {
    report_.problem = Problem{seq, kind, std::move(message)};
    return false;
  }

  bool Gap(const Record& r) {
    // seq is the table's integer key, so the only way below `expected_` is
    // a seq of 0 or less put there by hand.
    if (r.seq < expected_) {
      return Fail(r.seq, ProblemKind::kOutOfOrder,
                  "a record has seq " + N(r.seq) +
                      ", before the start of the log (seq starts at 1)");
    }
    if (r.seq == expected_ + 1) {
      return Fail(expected_, ProblemKind::kMissing,
                  "record " + N(expected_) + " is missing");
    }
    return Fail(
        expected_, ProblemKind::kMissing,
        "records " + N(expected_) + " to " + N(r.seq - 1) + " are missing");
  }

  // The seq `r` was written with, if its prev_hash links lead back (within
  // `depth` steps) to a record that is intact in its place.
  std::optional<int64_t> Home(const Record& r, int depth) {
    if (r.prev_hash == kGenesisHash) return 1;
    if (depth == 0) return std::nullopt;
    auto prev = reader_.FindByHash(r.prev_hash);
    if (!prev.ok()) {
      error_ = prev.error();
      return std::nullopt;
    }
    if (!*prev) return std::nullopt;
    if (ComputeHash(**prev) == (*prev)->hash) return (*prev)->seq + 1;
    // The previous record moved as well (two neighbours swapped).
    auto home = Home(**prev, depth - 1);
    if (!home) return std::nullopt;
    return *home + 1;
  }

  // The record at r.seq does not hash to its stored hash. If it does hash
  // to it under the seq it was written with, it is intact but in the wrong
  // place: records were swapped.
  bool Mismatch(const Record& r) {
    const std::optional<int64_t> home = Home(r, 4);
    if (error_) return false;
    if (home && *home != r.seq) {
      Record moved = r;
      moved.seq = *home;
      if (ComputeHash(moved) == r.hash) {
        const int64_t lo = std::min(r.seq, *home), hi = std::max(r.seq, *home);
        return Fail(lo, ProblemKind::kOutOfOrder,
                    "records " + N(lo) + " and " + N(hi) +
                        " are out of order (record " + N(r.seq) +
                        " holds the record written as " + N(*home) + ")");
      }
    }
    return Fail(r.seq, ProblemKind::kAltered,
                "record " + N(r.seq) +
                    " was altered (its hash does not match its contents)");
  }

  // r hashes correctly but does not link to the record before it. Had r's
  // own prev_hash been edited, its hash would not match; so the record
  // before it was rewritten and its hash recomputed (or r was replaced
  // wholesale by someone who also forged its link).
  bool BrokenLink(const Record& r) {
    if (r.seq == 1) {
      return Fail(1, ProblemKind::kRelinked,
                  "record 1 was replaced (it does not start the chain)");
    }
    return Fail(r.seq - 1, ProblemKind::kRelinked,
                "record " + N(r.seq - 1) +
                    " was altered and its hash recomputed (record " + N(r.seq) +
                    " links to a different hash)");
  }

  bool CheckCheckpoint(const Checkpoint& cp, const Record& r) {
    if (!options_.keys.empty()) {
      const PublicKey* key = nullptr;
      for (const PublicKey& k : options_.keys) {
        if (k.key_id() == cp.key_id) key = &k;
      }
      if (key == nullptr) {
        return Fail(cp.seq, ProblemKind::kCheckpointUnknownKey,
                    "checkpoint at record " + N(cp.seq) +
                        " was signed by key " + cp.key_id +
                        ", which is not among the given public keys");
      }
      if (!CheckSignature(*key, cp)) {
        return Fail(cp.seq, ProblemKind::kCheckpointSignature,
                    "checkpoint at record " + N(cp.seq) +
                        ": checkpoint signature invalid (the checkpoint was "
                        "altered or forged)");
      }
      ++report_.signatures_checked;
    }
    if (cp.record_hash != r.hash) {
      return Fail(cp.seq, ProblemKind::kCheckpointMismatch,
                  "checkpoint at record " + N(cp.seq) +
                      " does not match (records up to " + N(cp.seq) +
                      " were rewritten)");
    }
    return true;
  }

  AuditReader& reader_;
  const VerifyOptions& options_;
  const std::map<int64_t, Checkpoint>& checkpoints_;
  VerifyReport& report_;
  int64_t expected_ = 1;
  std::string prev_hash_{kGenesisHash};
  std::optional<Error> error_;
};

void AddLimits(const VerifyOptions& options, VerifyReport& report) {
  if (report.checkpoints == 0) {
    report.limits.push_back(
        "the log has no signed checkpoints (no signing key was configured): "
        "it is protected by its hash chain alone, so a consistent rewrite of "
        "the log from any record onwards would not be detected");
  } else if (options.keys.empty()) {
    report.limits.push_back(
        "no public key was given: " + N(report.checkpoints) +
        " checkpoints were compared with their records but their signatures "
        "were not checked, so forged checkpoints would not be detected");
  }
  if (report.last_seq > report.last_checkpoint_seq) {
    report.limits.push_back(
        report.last_checkpoint_seq == 0
            ? "removing the newest records would leave no trace"
            : "records after the last checkpoint (record " +
                  N(report.last_checkpoint_seq) +
                  ") are protected by the chain alone: removing the newest "
                  "of them would leave no trace");
  }
}

}  // namespace

const char* ProblemKindName(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kAltered:
      return "altered";
    case ProblemKind::kRelinked:
      return "relinked";
    case ProblemKind::kMissing:
      return "missing";
    case ProblemKind::kOutOfOrder:
      return "out_of_order";
    case ProblemKind::kTruncated:
      return "truncated";
    case ProblemKind::kCheckpointMismatch:
      return "checkpoint_mismatch";
    case ProblemKind::kCheckpointSignature:
      return "checkpoint_signature";
    case ProblemKind::kCheckpointUnknownKey:
      return "checkpoint_unknown_key";
  }
  return "unknown";
}

Result<VerifyReport> Verify(AuditReader& reader, const VerifyOptions& options) {
  auto list = reader.Checkpoints();
  if (!list.ok()) return list.error();
  VerifyReport report;
  std::map<int64_t, Checkpoint> checkpoints;
  for (Checkpoint& c : *list) {
    report.last_checkpoint_seq = c.seq;
    checkpoints.emplace(c.seq, std::move(c));
  }
  report.checkpoints = static_cast<int64_t>(checkpoints.size());

  Walker walker(reader, options, checkpoints, report);
  auto s =
      reader.ForEachRecord([&](const Record& r) { return walker.Visit(r); });
  if (!s.ok()) return s.error();
  if (walker.error()) return *walker.error();
  if (report.problem) return report;

  // A checkpoint beyond the newest record signed records that are gone.
  if (report.last_checkpoint_seq > report.last_seq) {
    const int64_t first_gone = report.last_seq + 1;
    report.problem =
        Problem{first_gone, ProblemKind::kTruncated,
                "records from " + N(first_gone) +
                    " on were removed (a checkpoint signed record " +
                    N(report.last_checkpoint_seq) + ", the log ends at " +
                    N(report.last_seq) + ")"};
    return report;
  }
  AddLimits(options, report);
  return report;
}

}  // namespace bulwark::audit

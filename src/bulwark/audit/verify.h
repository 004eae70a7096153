// Verification of an audit log: walks the records in seq order, recomputes
// each hash, follows the prev_hash links, and checks every checkpoint's
// signature and that the record it signed still has the signed hash. It
// stops at the first problem, by seq, and names that record.
//
// What it proves, and what it cannot:
// * Editing any field of a record, deleting a record before the newest one,
//   swapping records, or inserting one is found at that record.
// * Rewriting a record and recomputing its hash is found at the link from
//   the next record; rewriting a record and everything after it
//   consistently is found at the first signed checkpoint after it -- but
//   only when the checkpoints are signed and the public key is given here.
// * Removing the newest records after the last checkpoint leaves a shorter,
//   perfectly consistent log: nothing inside the database can show it.
//   Exported archives and regular checkpoints narrow that window.
// VerifyReport::limits spells out which of these apply to the log at hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/signing_key.h"
#include "bulwark/core/result.h"

namespace bulwark::audit {

enum class ProblemKind {
  kAltered,              // a record's hash does not match its contents
  kRelinked,             // a record rewritten with a recomputed hash
  kMissing,              // a gap in seq: records were removed
  kOutOfOrder,           // records moved to another record's place
  kTruncated,            // a checkpoint signed records that are gone
  kCheckpointMismatch,   // a checkpoint's hash differs from its record's
  kCheckpointSignature,  // a checkpoint's signature does not verify
  kCheckpointUnknownKey  // signed by a key that was not given
};

// Stable names for machine output: "altered", "missing", ...
const char* ProblemKindName(ProblemKind kind);

struct Problem {
  int64_t seq = 0;  // the record named
  ProblemKind kind = ProblemKind::kAltered;
  // "record 17 was altered (its hash does not match its contents)"
  std::string message;
};

struct VerifyOptions {
  // Public keys whose checkpoints are accepted (several after a key
  // rotation). Empty: checkpoints are compared with their records but
  // their signatures are not checked.
  std::vector<PublicKey> keys;
};

struct VerifyReport {
  int64_t records = 0;  // records read (up to the problem, if any)
  int64_t last_seq = 0;
  std::string last_hash;
  int64_t checkpoints = 0;
  int64_t signatures_checked = 0;
  int64_t last_checkpoint_seq = 0;  // 0: none
  std::optional<Problem> problem;   // the first, by seq
  // What this verification could not establish for this log, in words.
  std::vector<std::string> limits;

  bool intact() const { return !problem.has_value(); }
};

// Errors are failures to read the database at all; tampering is a report
// with a problem. Checkpoints are read before the records, so records
// appended meanwhile by a running service are only extra records.
Result<VerifyReport> Verify(AuditReader& reader, const VerifyOptions& options);

}  // namespace bulwark::audit

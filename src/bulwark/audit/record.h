// One audit record: who did what, when, to what and why, chained to the
// record before it by SHA-256.
//
// The hash covers a length-prefixed binary encoding, never a text form that
// two writers could spell differently. CanonicalBytes(record) is, in order:
//
//   field("bulwark.audit.record.v1")
//   u64be(seq)            1-based, no gaps
//   i64be(time_ms)        Unix milliseconds, UTC, two's complement
//   field(actor) field(action) field(target) field(reason) field(details)
//   field(prev_hash)      64 lowercase hex characters (ASCII)
//
// where field(x) = u64be(byte length of x) || x and u64be/i64be are 8 bytes,
// most significant first. Every variable-length field carries its length,
// so no two different records encode to the same bytes (moving a byte from
// `target` to `reason` changes both lengths). `hash` is the lowercase hex
// SHA-256 of those bytes; the first record's prev_hash is 64 zeros.
// docs/AUDIT.md repeats this for anyone re-checking an exported log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::audit {

// What a caller appends. The log fills in seq, time and the hashes.
struct NewRecord {
  // Who: a key id ("key:admin"), "cli:USER" or "system" -- never a secret.
  // The log is kept for years and exported; a key in it would be a leak, so
  // Append refuses anything that looks like an API key ("bwk_...").
  std::string actor;
  // What: lowercase dotted words, "account.ban", "review.decision".
  std::string action;
  // On what: "account:alice", "incident:42"; may be empty.
  std::string target;
  // Why, as the person or rule gave it; may be empty.
  std::string reason;
  // Anything else, as a JSON object text; empty means "{}". Stored in
  // Boost.JSON's compact form, and the hash covers exactly the stored text.
  std::string details;
};

struct Record {
  int64_t seq = 0;
  int64_t time_ms = 0;
  std::string actor, action, target, reason, details;
  std::string prev_hash;  // hex SHA-256 of the previous record
  std::string hash;       // hex SHA-256 of CanonicalBytes(*this)
};

// The prev_hash of record 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The encoding above. `hash` itself is not part of it.
std::string CanonicalBytes(const Record& r);

// Lowercase hex SHA-256 of CanonicalBytes(r).
std::string ComputeHash(const Record& r);

// Checks a NewRecord (UTF-8 everywhere, limits, action syntax, no secrets,
// details a JSON object) and returns it with details in the stored compact
// form. Errors are kInvalidArgument and name the field.
Result<NewRecord> Normalize(const NewRecord& in);

// Appends field(text) to `out` (shared with the checkpoint encoding).
void AppendField(std::string& out, std::string_view text);
// Appends the 8 bytes of `v`, most significant first.
void AppendU64(std::string& out, uint64_t v);

}  // namespace bulwark::audit

// Banks: named lists of hashes of known content (from NCMEC, IWF, StopNCII,
// the Tech Coalition, or a platform's own confirmed cases), and their
// entries. Plain value types shared by the store, the importers and the
// matcher.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/hash/signal.h"

namespace bulwark::bank {

// Times are Unix seconds (UTC).
using UnixSeconds = int64_t;

struct BankInfo {
  int64_t id = 0;
  std::string name;  // unique; [A-Za-z0-9._-]{1,64}
  std::string description;
  std::string category;  // free label: "csam", "ncii", "test", ...
  bool enabled = true;   // a disabled bank takes no part in matching
  int threshold = 31;    // PDQ match radius for this bank, 0..128
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const BankInfo&) const = default;
};

struct Entry {
  int64_t id = 0;  // unique across banks, never reused
  int64_t bank_id = 0;
  hash::Signal signal = hash::Signal::FromPdq({});  // type and value
  std::string label;           // optional classification from the list
  std::string source_id;       // optional: the list's own id for this hash
  std::optional<int> quality;  // PDQ quality where the list gives it
  UnixSeconds added_at = 0;
  // Tombstone: a disabled entry is kept, never deleted, so a later import
  // of the same value cannot silently bring a retracted hash back.
  bool disabled = false;
  std::string disabled_reason;
  UnixSeconds disabled_at = 0;
  // Store-wide change sequence number of the last change to this entry
  // (insert, disable, enable). The matcher follows changes by sequence.
  int64_t seq = 0;
};

// Bank names appear in paths, URLs and reports: 1 to 64 characters from
// [A-Za-z0-9._-], not starting with '.' or '-'.
Status ValidateBankName(const std::string& name);

}  // namespace bulwark::bank

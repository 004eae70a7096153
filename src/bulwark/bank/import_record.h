// One record of a CSV or JSONL list, as text fields, and its conversion to
// a NewEntry. The rules (see import.h) are shared by every tabular format
// so a hash means the same whichever file it came in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bulwark/bank/import.h"
#include "bulwark/bank/store.h"
#include "bulwark/core/result.h"
#include "bulwark/hash/signal.h"

namespace bulwark::bank {

struct RawRecord {
  std::string_view value;
  std::string_view type;  // empty: not given
  std::string_view label;
  std::string_view source_id;
  std::string_view quality;   // empty: not given
  std::string_view disabled;  // empty: not given (false)
  std::string_view disabled_reason;
};

// A signal from its text: "type:hex", or hex whose type is `type` when not
// empty, else `fallback`, else its length (md5 32, sha1 40; 64 ambiguous).
Result<hash::Signal> ResolveSignal(std::string_view value,
                                   std::string_view type,
                                   std::optional<hash::SignalType> fallback);

Result<NewEntry> MakeEntry(const RawRecord& r, const ImportOptions& options);

// The canonical column/field a name stands for ("hash" -> "value",
// "signal_type" -> "type", "id" -> "source_id"), or "" if none.
std::string_view CanonicalField(std::string_view name);

}  // namespace bulwark::bank

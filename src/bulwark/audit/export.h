// Export of the audit log as JSON Lines, for archiving outside Bulwark.
// One object per record, in seq order:
//
//   {"seq":1,"time":"2026-11-28T16:17:34.120Z","time_ms":1795...,
//    "actor":"key:admin","action":"account.ban","target":"account:alice",
//    "reason":"...","details":"{\"days\":7}","prev_hash":"...","hash":"..."}
//
// `details` is the stored JSON text as a string, not a nested object, so
// an archive keeps exactly the bytes the hash covers (record.h) and anyone
// can re-check the chain without re-serialising JSON the same way Bulwark
// does.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/record.h"
#include "bulwark/core/result.h"

namespace bulwark::audit {

struct ExportOptions {
  int64_t since_seq = 1;                                   // inclusive
  int64_t since_ms = std::numeric_limits<int64_t>::min();  // inclusive
};

// One line of the export, without the newline.
std::string RecordToJson(const Record& r);

// Writes the selected records to `out`; returns how many.
Result<int64_t> ExportJsonl(AuditReader& reader, const ExportOptions& options,
                            std::ostream& out);

}  // namespace bulwark::audit

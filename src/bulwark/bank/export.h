// Writing a bank's entries out, tombstones included, in id order.
//
// csv    header type,value,label,source_id,quality,disabled,disabled_reason,
//        added_at; quality empty when absent, disabled "true"/"false",
//        added_at Unix seconds. Fields quoted per RFC 4180 where needed.
//        Importing it into an empty bank gives the same entries (values,
//        labels, source ids, qualities, tombstones and their reasons).
// jsonl  one object per entry with the same fields (quality null when
//        absent, disabled a boolean, added_at a number).
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

#include "bulwark/bank/store.h"
#include "bulwark/core/result.h"

namespace bulwark::bank {

enum class ExportFormat { kCsv, kJsonl };

Result<ExportFormat> ParseExportFormat(std::string_view text);  // csv|jsonl

// The number of entries written, or the store's or the stream's error.
Result<int64_t> ExportBank(Store& store, int64_t bank_id, ExportFormat format,
                           std::ostream& out);

}  // namespace bulwark::bank

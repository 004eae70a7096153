// Checks on the free text an entry carries (label, source id). It travels
// into reports, CSV and JSON, so it must be valid UTF-8 on one line.
#pragma once

#include <cstddef>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::bank {

inline constexpr size_t kMaxEntryTextBytes = 1024;

// Ok, or kInvalidArgument naming `what` ("label") and the problem: invalid
// UTF-8 (rejected, not replaced: a silently altered label could no longer
// be matched against the list it came from), a control character, or more
// than kMaxEntryTextBytes bytes.
Status ValidateEntryText(std::string_view what, std::string_view text);

}  // namespace bulwark::bank

// UTF-8 validation, shared by everything that passes outside text on into
// JSON, CSV or the database.
#pragma once

#include <cstddef>
#include <string_view>

namespace bulwark {

// Length (1..4) of the well-formed UTF-8 sequence starting at text[i], or 0
// if none starts there: overlong forms, surrogates and code points above
// U+10FFFF are not well formed.
size_t Utf8SequenceLength(std::string_view text, size_t i);

bool IsValidUtf8(std::string_view text);

}  // namespace bulwark

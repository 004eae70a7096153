// Lowercase hexadecimal text forms of byte strings, as every hash list that
// Bulwark reads or writes uses them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark {

// Two lowercase hex digits per byte, most significant nibble first.
std::string HexEncode(std::span<const uint8_t> bytes);

// Accepts upper- and lowercase digits; rejects odd lengths and non-hex
// characters with an error naming the offending position.
Result<std::vector<uint8_t>> HexDecode(std::string_view text);

}  // namespace bulwark

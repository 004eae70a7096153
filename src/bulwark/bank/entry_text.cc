#include "bulwark/bank/entry_text.h"

#include <cstdint>
#include <string>

namespace bulwark::bank {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  while (i < s.size()) {
    const uint8_t c = b(i);
    size_t len = c < 0x80         ? 1
                 : (c >> 5) == 6  ? 2
                 : (c >> 4) == 14 ? 3
                 : (c >> 3) == 30 ? 4
                                  : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return false;
    }
    // Overlong forms, surrogates and code points above U+10FFFF.
    if (len == 2 && c < 0xC2) return false;
    if (len == 3 && c == 0xE0 && b(i + 1) < 0xA0) return false;
    if (len == 3 && c == 0xED && b(i + 1) >= 0xA0) return false;
    if (len == 4 && c == 0xF0 && b(i + 1) < 0x90) return false;
    if (len == 4 && (c > 0xF4 || (c == 0xF4 && b(i + 1) >= 0x90))) {
      return false;
    }
    i += len;
  }
  return true;
}

Status ValidateEntryText(std::string_view what, std::string_view text) {
  if (text.size() > kMaxEntryTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + " is longer than " +
                         std::to_string(kMaxEntryTextBytes) + " bytes");
  }
  if (!IsValidUtf8(text)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + " is not valid UTF-8");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(what) + " contains a control character");
    }
  }
  return Ok{};
}

}  // namespace bulwark::bank

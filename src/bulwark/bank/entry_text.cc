#include "bulwark/bank/entry_text.h"

#include "bulwark/core/utf8.h"

#include <cstdint>
#include <string>

namespace bulwark::bank {

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

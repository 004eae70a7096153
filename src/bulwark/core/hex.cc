#include "bulwark/core/hex.h"

namespace bulwark {
namespace {

int NibbleValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HexEncode(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

Result<std::vector<uint8_t>> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "hex text has an odd number of digits (" +
                         std::to_string(text.size()) + ")");
  }
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < text.size(); ++i) {
    int v = NibbleValue(text[i]);
    if (v < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "not a hex digit at position " + std::to_string(i));
    }
    out[i / 2] = static_cast<uint8_t>(out[i / 2] << 4 | v);
  }
  return out;
}

}  // namespace bulwark

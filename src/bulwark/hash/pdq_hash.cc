#include "bulwark/hash/pdq_hash.h"

#include <bit>

#include "bulwark/core/hex.h"

namespace bulwark::hash {

Result<PdqHash> PdqHash::FromHex(std::string_view text) {
  if (text.size() != 64) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a PDQ hash is 64 hex digits, got " +
                         std::to_string(text.size()) + " characters");
  }
  auto bytes = HexDecode(text);
  if (!bytes.ok()) return bytes.error();
  PdqHash h;
  // Byte 0 of the text is the most significant: bits 255..248.
  for (int i = 0; i < 32; ++i) {
    int word = 3 - i / 8;
    int shift = 56 - 8 * (i % 8);
    h.words_[word] |= uint64_t{(*bytes)[i]} << shift;
  }
  return h;
}

std::string PdqHash::ToHex() const {
  std::array<uint8_t, 32> bytes;
  for (int i = 0; i < 32; ++i) {
    bytes[i] = static_cast<uint8_t>(words_[3 - i / 8] >> (56 - 8 * (i % 8)));
  }
  return HexEncode(bytes);
}

int PdqHash::popcount() const {
  int n = 0;
  for (uint64_t w : words_) n += std::popcount(w);
  return n;
}

int PdqHash::Distance(const PdqHash& other) const {
  int n = 0;
  for (int i = 0; i < 4; ++i) n += std::popcount(words_[i] ^ other.words_[i]);
  return n;
}

}  // namespace bulwark::hash

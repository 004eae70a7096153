// PdqHash: a 256-bit PDQ hash and its text form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::hash {

// Bit k (0..255) is set when DCT coefficient k (row-major over the 16x16
// output) is above the median. The text form is Meta's: 64 lowercase hex
// digits of the 256-bit big-endian number, so bit 255 leads and bit 0 ends.
class PdqHash {
 public:
  static constexpr int kBits = 256;

  PdqHash() = default;

  // Accepts exactly 64 hex digits (either case); anything else is an error.
  static Result<PdqHash> FromHex(std::string_view text);
  std::string ToHex() const;

  bool bit(int k) const { return (words_[k >> 6] >> (k & 63)) & 1; }
  void set_bit(int k) { words_[k >> 6] |= uint64_t{1} << (k & 63); }
  int popcount() const;

  // Hamming distance, 0..256.
  int Distance(const PdqHash& other) const;

  bool operator==(const PdqHash&) const = default;

 private:
  std::array<uint64_t, 4> words_{};  // words_[0] holds bits 0..63
};

}  // namespace bulwark::hash

// Code256: the index's own copy of a 256-bit PDQ hash, 32-byte aligned so
// the SIMD kernels can load it whole. Converting through memcpy keeps the
// index independent of PdqHash's private layout beyond its size.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "bulwark/hash/pdq_hash.h"

namespace bulwark::index {

struct alignas(32) Code256 {
  uint64_t w[4];  // w[0] holds bits 0..63, as in PdqHash
};

static_assert(sizeof(hash::PdqHash) == 32 &&
              std::is_trivially_copyable_v<hash::PdqHash>);

inline Code256 ToCode(const hash::PdqHash& h) {
  Code256 c;
  std::memcpy(c.w, &h, 32);
  return c;
}

inline bool operator==(const Code256& a, const Code256& b) {
  return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] &&
         a.w[3] == b.w[3];
}

// Lexicographic from the top word down; only used to group equal codes.
inline bool operator<(const Code256& a, const Code256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i];
  }
  return false;
}

// Inlined into callers; it becomes one POPCNT per word in code compiled for
// a target that has it and a bit-twiddling sequence elsewhere.
[[gnu::always_inline]] inline int Distance(const Code256& a, const Code256& b) {
  return std::popcount(a.w[0] ^ b.w[0]) + std::popcount(a.w[1] ^ b.w[1]) +
         std::popcount(a.w[2] ^ b.w[2]) + std::popcount(a.w[3] ^ b.w[3]);
}

// Bits [start, start + len) of the code, len in 1..32.
[[gnu::always_inline]] inline uint32_t Substring(const Code256& c, int start,
                                                 int len) {
  const int word = start >> 6, shift = start & 63;
  uint64_t v = c.w[word] >> shift;
  if (shift + len > 64) v |= c.w[word + 1] << (64 - shift);
  return static_cast<uint32_t>(v & ((uint64_t{1} << len) - 1));
}

}  // namespace bulwark::index

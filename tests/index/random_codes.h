// Synthetic PDQ codes for the index tests and benchmarks: uniform random
// codes, and clustered ones (random centres, each with near-duplicates a
// few bits away), from a cheap deterministic generator.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "bulwark/hash/pdq_hash.h"

namespace bulwark::index::testing {

// SplitMix64: fast, good enough for test data, same sequence everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t Below(uint32_t n) {  // 0..n-1
    return static_cast<uint32_t>((Next() >> 32) * n >> 32);
  }

 private:
  uint64_t s_;
};

inline hash::PdqHash HashFromWords(const uint64_t (&w)[4]) {
  hash::PdqHash h;
  static_assert(sizeof(h) == sizeof(w));
  std::memcpy(static_cast<void*>(&h), w, sizeof(w));
  return h;
}

inline hash::PdqHash RandomHash(Rng& rng) {
  const uint64_t w[4] = {rng.Next(), rng.Next(), rng.Next(), rng.Next()};
  return HashFromWords(w);
}

// `h` with `bits` distinct random bits flipped.
inline hash::PdqHash FlipBits(const hash::PdqHash& h, int bits, Rng& rng) {
  uint64_t w[4];
  std::memcpy(w, static_cast<const void*>(&h), sizeof(w));
  uint64_t flipped[4] = {0, 0, 0, 0};
  for (int done = 0; done < bits;) {
    const uint32_t b = rng.Below(256);
    if (flipped[b >> 6] >> (b & 63) & 1) continue;
    flipped[b >> 6] |= uint64_t{1} << (b & 63);
    ++done;
  }
  for (int i = 0; i < 4; ++i) w[i] ^= flipped[i];
  return HashFromWords(w);
}

inline std::vector<hash::PdqHash> UniformCodes(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<hash::PdqHash> out(n);
  for (auto& h : out) h = RandomHash(rng);
  return out;
}

// n codes around n / cluster_size random centres; each member is its
// centre with 0..max_flip bits flipped.
inline std::vector<hash::PdqHash> ClusteredCodes(size_t n, uint64_t seed,
                                                 int cluster_size = 8,
                                                 int max_flip = 40) {
  Rng rng(seed);
  std::vector<hash::PdqHash> out;
  out.reserve(n);
  while (out.size() < n) {
    const hash::PdqHash centre = RandomHash(rng);
    for (int k = 0; k < cluster_size && out.size() < n; ++k) {
      out.push_back(
          FlipBits(centre, static_cast<int>(rng.Below(max_flip + 1)), rng));
    }
  }
  return out;
}

// Queries of which about `near_fraction` are a stored code with 0..max_flip
// bits flipped; the rest are random.
inline std::vector<hash::PdqHash> MakeQueries(
    const std::vector<hash::PdqHash>& codes, size_t n, double near_fraction,
    int max_flip, uint64_t seed) {
  Rng rng(seed);
  std::vector<hash::PdqHash> out(n);
  const uint32_t near_limit = static_cast<uint32_t>(near_fraction * 1000);
  for (auto& q : out) {
    if (!codes.empty() && rng.Below(1000) < near_limit) {
      const auto& base = codes[rng.Below(static_cast<uint32_t>(codes.size()))];
      q = FlipBits(base, static_cast<int>(rng.Below(max_flip + 1)), rng);
    } else {
      q = RandomHash(rng);
    }
  }
  return out;
}

}  // namespace bulwark::index::testing

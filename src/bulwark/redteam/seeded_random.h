// The converters' only source of randomness: SplitMix64 seeded per call, so
// output depends on (input, seed) alone, never on a global generator or on
// the standard library's distribution implementations.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bulwark::redteam {

// One SplitMix64 step: a well-mixed 64-bit function of `x`.
uint64_t Mix64(uint64_t x);

// Mixes a name into a seed, so converters sharing a step seed still make
// unrelated choices.
uint64_t SeedFor(uint64_t seed, const char* name);

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n); n > 0.
  size_t Below(size_t n);
  // True with probability num/den.
  bool Chance(unsigned num, unsigned den);

 private:
  uint64_t state_;
};

}  // namespace bulwark::redteam

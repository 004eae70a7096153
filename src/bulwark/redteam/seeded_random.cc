#include "bulwark/redteam/seeded_random.h"

namespace bulwark::redteam {

uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t SeedFor(uint64_t seed, const char* name) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
  for (const char* p = name; *p != '\0'; ++p) {
    h = (h ^ static_cast<uint8_t>(*p)) * 0x100000001B3ull;
  }
  return Mix64(seed ^ h);
}

uint64_t SeededRandom::Next() {
  state_ += 0x9E3779B97F4A7C15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

size_t SeededRandom::Below(size_t n) {
  // Modulo bias is irrelevant at these table sizes (n < 100).
  return static_cast<size_t>(Next() % n);
}

bool SeededRandom::Chance(unsigned num, unsigned den) {
  return Next() % den < num;
}

}  // namespace bulwark::redteam

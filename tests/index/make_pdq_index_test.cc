// MakePdqIndex picks a scan for small sets and multi-index hashing for large
// ones; either way the hits are the same as brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "bulwark/index/linear_scan.h"
#include "bulwark/index/mih_index.h"
#include "bulwark/index/pdq_index.h"

namespace bulwark::index {
namespace {

std::vector<hash::PdqHash> Random(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<hash::PdqHash> out(n);
  for (auto& h : out)
    for (int b = 0; b < 256; ++b)
      if (rng() & 1) h.set_bit(b);
  return out;
}

TEST(MakePdqIndex, ChoosesByCountAndFindsTheSameHits) {
  for (size_t n : {size_t{1000}, kScanMaxCodes + 1}) {
    std::vector<hash::PdqHash> codes = Random(n, n);
    auto index = MakePdqIndex(codes);
    if (n < kScanMaxCodes) {
      EXPECT_NE(dynamic_cast<LinearScanIndex*>(index.get()), nullptr);
    } else {
      EXPECT_NE(dynamic_cast<MihIndex*>(index.get()), nullptr);
    }
    EXPECT_EQ(index->size(), n);
    // Queries near stored codes: each must find its code, and exactly the
    // codes brute force finds.
    std::mt19937_64 rng(7);
    for (int q = 0; q < 20; ++q) {
      hash::PdqHash query = codes[rng() % n];
      for (int f = 0; f < 12; ++f) {
        const int bit = static_cast<int>(rng() % 256);
        if (query.bit(bit)) {
          hash::PdqHash cleared;
          for (int b = 0; b < 256; ++b)
            if (b != bit && query.bit(b)) cleared.set_bit(b);
          query = cleared;
        } else {
          query.set_bit(bit);
        }
      }
      std::vector<PdqHit> hits;
      index->Search(query, 31, hits);
      std::vector<uint32_t> got, want;
      for (const PdqHit& h : hits) got.push_back(h.code);
      for (uint32_t i = 0; i < n; ++i)
        if (codes[i].Distance(query) <= 31) want.push_back(i);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, want);
      EXPECT_FALSE(want.empty());
    }
  }
}

}  // namespace
}  // namespace bulwark::index

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bulwark/index/linear_scan.h"
#include "bulwark/index/mih_index.h"
#include "bulwark/index/scan_kernels.h"
#include "index/random_codes.h"

namespace bulwark::index {
namespace {

using hash::PdqHash;
using testing::ClusteredCodes;
using testing::MakeQueries;
using testing::UniformCodes;

std::vector<PdqHit> BruteForce(const std::vector<PdqHash>& codes,
                               const PdqHash& q, int radius) {
  std::vector<PdqHit> out;
  for (size_t i = 0; i < codes.size(); ++i) {
    const int d = codes[i].Distance(q);
    if (d <= radius) out.push_back({static_cast<uint32_t>(i), d});
  }
  return out;
}

std::vector<std::pair<uint32_t, int>> Sorted(const std::vector<PdqHit>& hits) {
  std::vector<std::pair<uint32_t, int>> v;
  for (const auto& h : hits) v.emplace_back(h.code, h.distance);
  std::sort(v.begin(), v.end());
  return v;
}

// Every query through Search and SearchBatch equals brute force; returns
// the number of hits so callers can check the case was not vacuous.
size_t ExpectExact(const PdqIndex& index, const std::vector<PdqHash>& codes,
                   const std::vector<PdqHash>& queries, int radius) {
  std::vector<std::vector<PdqHit>> batch;
  index.SearchBatch(queries, radius, batch);
  EXPECT_EQ(batch.size(), queries.size());
  size_t hits = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto want = Sorted(BruteForce(codes, queries[i], radius));
    std::vector<PdqHit> one;
    index.Search(queries[i], radius, one);
    EXPECT_EQ(Sorted(one), want) << "query " << i << " radius " << radius;
    EXPECT_EQ(Sorted(batch[i]), want) << "batch query " << i;
    hits += want.size();
  }
  return hits;
}

std::vector<ScanKernel> SupportedKernels() {
  std::vector<ScanKernel> out;
  for (ScanKernel k :
       {ScanKernel::kPortable, ScanKernel::kAvx2, ScanKernel::kAvx512}) {
    if (ScanKernelSupported(k)) out.push_back(k);
  }
  return out;
}

TEST(ScanKernelTest, PortableIsAlwaysSupported) {
  EXPECT_TRUE(ScanKernelSupported(ScanKernel::kPortable));
  EXPECT_TRUE(ScanKernelSupported(BestScanKernel()));
}

// Odd sizes exercise the tails: codes not a multiple of 8, queries not a
// multiple of 4.
TEST(LinearScanTest, EveryKernelMatchesBruteForce) {
  const auto codes = ClusteredCodes(20003, 1, 8, 40);
  const auto queries = MakeQueries(codes, 37, 0.5, 40, 2);
  for (ScanKernel k : SupportedKernels()) {
    SCOPED_TRACE(ScanKernelName(k));
    const LinearScanIndex index(codes, k);
    ASSERT_EQ(index.kernel(), k);
    EXPECT_EQ(index.size(), codes.size());
    for (int radius : {-1, 0, 10, 31, 63}) {
      ExpectExact(index, codes, queries, radius);
    }
    EXPECT_GT(ExpectExact(index, codes, queries, 31), 18u);
  }
}

TEST(LinearScanTest, KernelsAgreeAtEveryDistance) {
  // Radius 256 returns everything with its distance: compares the kernels'
  // distance arithmetic on every pair, not just the threshold.
  const auto codes = UniformCodes(1029, 3);
  const auto queries = MakeQueries(codes, 9, 0.3, 20, 4);
  std::vector<std::vector<PdqHit>> want;
  LinearScanIndex(codes, ScanKernel::kPortable).SearchBatch(queries, 256, want);
  for (ScanKernel k : SupportedKernels()) {
    std::vector<std::vector<PdqHit>> got;
    LinearScanIndex(codes, k).SearchBatch(queries, 256, got);
    for (size_t i = 0; i < queries.size(); ++i) {
      ASSERT_EQ(got[i].size(), codes.size());
      EXPECT_EQ(Sorted(got[i]), Sorted(want[i])) << ScanKernelName(k);
    }
  }
}

TEST(LinearScanTest, EmptyIndex) {
  const std::vector<PdqHash> none;
  const LinearScanIndex index(none);
  std::vector<PdqHit> out;
  index.Search(PdqHash(), 256, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(index.size(), 0u);
}

struct MihCase {
  const char* name;
  bool clustered;
  int substrings;  // 0: automatic
  bool plan;
};

class MihExactTest : public ::testing::TestWithParam<MihCase> {};

TEST_P(MihExactTest, RecallIsOne) {
  const MihCase& c = GetParam();
  const size_t n = 40000;
  const auto codes =
      c.clustered ? ClusteredCodes(n, 11, 8, 40) : UniformCodes(n, 11);
  const auto queries = MakeQueries(codes, 60, 0.5, 40, 12);
  MihOptions options;
  options.substrings = c.substrings;
  options.plan = c.plan;
  const MihIndex index(codes, options);
  EXPECT_EQ(index.size(), n);
  for (int radius : {0, 10, 31, 63}) {
    SCOPED_TRACE(radius);
    const size_t hits = ExpectExact(index, codes, queries, radius);
    if (radius >= 10) {
      EXPECT_GT(hits, 0u);
    }
    if (radius >= 31) {
      EXPECT_GT(hits, 10u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, MihExactTest,
    ::testing::Values(MihCase{"uniform_auto", false, 0, false},
                      MihCase{"clustered_auto", true, 0, false},
                      MihCase{"uniform_m16", false, 16, false},
                      MihCase{"clustered_m13", true, 13, false},
                      MihCase{"clustered_m32", true, 32, false},
                      MihCase{"clustered_planned", true, 0, true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(MihIndexTest, DuplicatesReportEveryPosition) {
  auto codes = UniformCodes(3000, 21);
  // Many copies of a few codes, scattered through the list.
  testing::Rng rng(22);
  for (int k = 0; k < 2000; ++k) {
    codes.push_back(codes[rng.Below(50)]);
  }
  for (int k = 0; k < 500; ++k) {
    codes.push_back(testing::FlipBits(codes[rng.Below(50)], 3, rng));
  }
  const auto queries = MakeQueries(codes, 40, 0.8, 12, 23);
  MihOptions options;
  options.plan = false;
  const MihIndex index(codes, options);
  EXPECT_EQ(index.size(), codes.size());
  EXPECT_LT(index.unique_size(), codes.size() - 1500);
  for (int radius : {0, 10, 31}) {
    EXPECT_GT(ExpectExact(index, codes, queries, radius), 20u);
  }
}

// SearchBatch hashes 8 queries at a time in one interleaved pass (a
// dihedral group). Each out[i] must be what Search gives for queries[i]:
// groups with repeated queries, several queries near one stored code (so
// one code is a hit of several), stored duplicates, and batches that are
// not a multiple of 8.
TEST(MihIndexTest, GroupsAnswerLikeSeparateSearches) {
  auto codes = ClusteredCodes(30000, 41, 8, 40);
  testing::Rng rng(42);
  for (int k = 0; k < 300; ++k) codes.push_back(codes[rng.Below(100)]);
  std::vector<PdqHash> queries;
  for (int g = 0; g < 6; ++g) {
    const PdqHash& target = codes[rng.Below(100)];
    queries.push_back(target);
    queries.push_back(target);  // the same variant twice
    for (int v = 0; v < 4; ++v) {
      queries.push_back(testing::FlipBits(target, 2 + 4 * v, rng));
    }
    queries.push_back(testing::RandomHash(rng));
    queries.push_back(testing::FlipBits(codes[rng.Below(30000)], 20, rng));
  }
  MihOptions options;
  options.plan = false;
  const MihIndex index(codes, options);
  for (size_t n :
       {size_t{1}, size_t{3}, size_t{8}, size_t{13}, queries.size()}) {
    const std::span<const PdqHash> some(queries.data(), n);
    for (int radius : {0, 10, 31, 63}) {
      SCOPED_TRACE(::testing::Message() << n << " queries, radius " << radius);
      std::vector<std::vector<PdqHit>> batch;
      index.SearchBatch(some, radius, batch);
      ASSERT_EQ(batch.size(), n);
      size_t shared = 0;  // stored codes hit by more than one query
      std::vector<int> hit_by(codes.size());
      for (size_t i = 0; i < n; ++i) {
        std::vector<PdqHit> one;
        index.Search(some[i], radius, one);
        EXPECT_EQ(Sorted(batch[i]), Sorted(one)) << "query " << i;
        EXPECT_EQ(Sorted(batch[i]), Sorted(BruteForce(codes, some[i], radius)))
            << "query " << i;
        for (const PdqHit& h : batch[i]) shared += hit_by[h.code]++ == 1;
      }
      if (n >= 8 && radius >= 10) {
        EXPECT_GT(shared, 0u);
      }
    }
  }
  // A reused output vector is cleared, not appended to.
  std::vector<std::vector<PdqHit>> batch(3, {PdqHit{1, 1}});
  index.SearchBatch(std::span<const PdqHash>(queries.data(), 2), 0, batch);
  ASSERT_EQ(batch.size(), 2u);
  std::vector<PdqHit> one;
  index.Search(queries[0], 0, one);
  EXPECT_EQ(Sorted(batch[0]), Sorted(one));
}

// Forced hashing at a radius whose probe lists are too long to batch: the
// queries go one at a time, same answers.
TEST(MihIndexTest, HugeProbeListsStillExactInBatch) {
  const auto codes = UniformCodes(5000, 51);
  const auto queries = MakeQueries(codes, 9, 0.5, 60, 52);
  MihOptions options;
  options.plan = false;
  options.substrings = 16;
  const MihIndex index(codes, options);
  // Radius 96 over 16 tables of 16 bits: about 118,000 probes per query.
  EXPECT_GT(ExpectExact(index, codes, queries, 96), 0u);
}

TEST(MihIndexTest, EmptyAndTiny) {
  const std::vector<PdqHash> none;
  const MihIndex empty(none);
  std::vector<PdqHit> out;
  empty.Search(PdqHash(), 63, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(empty.size(), 0u);

  const auto one = UniformCodes(1, 5);
  const MihIndex single(one);
  EXPECT_EQ(ExpectExact(single, one, one, 0), 1u);
  const auto queries = MakeQueries(one, 20, 0.5, 40, 6);
  for (int radius : {0, 31, 63, 100, 256}) {
    ExpectExact(single, one, queries, radius);
  }
}

TEST(MihIndexTest, PlannerScansAtLargeRadius) {
  const auto codes = UniformCodes(100000, 31);
  const MihIndex index(codes);
  EXPECT_FALSE(index.PrefersScan(10, 1));
  EXPECT_FALSE(index.PrefersScan(31, 1));
  EXPECT_TRUE(index.PrefersScan(63, 1000));
  EXPECT_TRUE(index.PrefersScan(256, 1));
  const auto queries = MakeQueries(codes, 30, 0.5, 60, 32);
  ExpectExact(index, codes, queries, 63);
  ExpectExact(index, codes, queries, 256);
}

TEST(MihIndexTest, ChoosesSubstringsFromSize) {
  EXPECT_EQ(MihIndex::ChooseSubstrings(10'000'000), 11);
  const int m1 = MihIndex::ChooseSubstrings(1'000'000);
  EXPECT_GE(m1, 12);
  EXPECT_LE(m1, 15);
  const int m50 = MihIndex::ChooseSubstrings(50'000'000);
  EXPECT_GE(m50, 9);
  EXPECT_LE(m50, 11);
}

}  // namespace
}  // namespace bulwark::index

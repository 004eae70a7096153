#include "bulwark/index/exact_set.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "index/random_codes.h"

namespace bulwark::index {
namespace {

std::vector<uint8_t> RandomBytes(size_t n, uint64_t seed) {
  testing::Rng rng(seed);
  std::vector<uint8_t> out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng.Next() >> 56);
  return out;
}

TEST(ExactSetTest, FindsEveryPositionOfEveryValue) {
  for (size_t width : {16u, 20u, 32u, 3u}) {
    SCOPED_TRACE(width);
    const size_t n = 30000;
    auto values = RandomBytes(n * width, width);
    // Duplicates: copy some values over others.
    testing::Rng rng(99);
    for (int k = 0; k < 3000; ++k) {
      const size_t from = rng.Below(n), to = rng.Below(n);
      std::copy_n(values.begin() + from * width, width,
                  values.begin() + to * width);
    }
    // Keys as strings: GCC 12 warns falsely on maps of byte vectors.
    std::map<std::string, std::vector<uint32_t>> want;
    for (size_t i = 0; i < n; ++i) {
      want[std::string(values.begin() + i * width,
                       values.begin() + (i + 1) * width)]
          .push_back(static_cast<uint32_t>(i));
    }
    auto set = ExactSet::Build(width, values);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->size(), n);
    EXPECT_EQ(set->width(), width);
    EXPECT_LE(set->memory_bytes(), n * (width + 6) + 4096);
    for (const auto& [key, positions] : want) {
      const std::vector<uint8_t> value(key.begin(), key.end());
      std::vector<uint32_t> got;
      set->Find(value, got);
      ASSERT_EQ(got, positions);
      EXPECT_TRUE(set->Contains(value));
    }
    // Absent values (3-byte values are dense enough to collide: skip).
    if (width >= 16) {
      const auto absent = RandomBytes(1000 * width, 1234);
      for (size_t i = 0; i < 1000; ++i) {
        std::span<const uint8_t> v(absent.data() + i * width, width);
        EXPECT_FALSE(set->Contains(v));
        std::vector<uint32_t> got;
        set->Find(v, got);
        EXPECT_TRUE(got.empty());
      }
    }
  }
}

TEST(ExactSetTest, EmptyWrongWidthAndBadInput) {
  auto empty = ExactSet::Build(20, {});
  ASSERT_TRUE(empty.ok());
  const std::vector<uint8_t> v(20, 7);
  EXPECT_FALSE(empty->Contains(v));
  EXPECT_FALSE(ExactSet().Contains(v));

  auto one = ExactSet::Build(20, v);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one->Contains(v));
  EXPECT_FALSE(one->Contains(std::vector<uint8_t>(16, 7)));  // other width

  EXPECT_FALSE(ExactSet::Build(20, std::vector<uint8_t>(30)).ok());
  EXPECT_FALSE(ExactSet::Build(0, std::vector<uint8_t>(30)).ok());
}

TEST(ExactSetTest, SharedPrefixesStillExact) {
  // Values differing only in the last byte all land in one bucket.
  const size_t width = 32, n = 5000;
  std::vector<uint8_t> values(n * width, 0xab);
  for (size_t i = 0; i < n; ++i) {
    values[i * width + width - 1] = static_cast<uint8_t>(i % 251);
    values[i * width + width - 2] = static_cast<uint8_t>(i / 251);
  }
  auto set = ExactSet::Build(width, values);
  ASSERT_TRUE(set.ok());
  for (size_t i = 0; i < n; i += 7) {
    std::vector<uint32_t> got;
    set->Find(std::span<const uint8_t>(values.data() + i * width, width), got);
    ASSERT_EQ(got, std::vector<uint32_t>{static_cast<uint32_t>(i)});
  }
}

}  // namespace
}  // namespace bulwark::index

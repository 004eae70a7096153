#include "bulwark/index/exact_set.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace bulwark::index {

uint32_t ExactSet::Prefix(const uint8_t* value) const {
  uint8_t b[4] = {0, 0, 0, 0};
  std::memcpy(b, value, std::min<size_t>(4, width_));
  const uint32_t lead =
      uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
  return prefix_bits_ == 0 ? 0 : lead >> (32 - prefix_bits_);
}

Result<ExactSet> ExactSet::Build(size_t width,
                                 std::span<const uint8_t> values) {
  if (width == 0 || width > 64 || values.size() % width != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "digest list is not a whole number of fixed-width values");
  }
  const size_t n = values.size() / width;
  if (n >= (size_t{1} << 32)) {
    return MakeError(ErrorCode::kLimitExceeded, "too many digests in one set");
  }
  ExactSet set;
  set.width_ = width;
  // About two values per bucket: the table costs 2 bytes per value at most.
  const int log2n = n < 2 ? 0 : std::bit_width(n) - 1;
  set.prefix_bits_ =
      std::clamp(log2n - 1, 0, std::min<int>(24, static_cast<int>(8 * width)));
  const size_t buckets = size_t{1} << set.prefix_bits_;
  set.prefix_ = HugeArray<uint32_t>(buckets + 1);
  set.positions_ = HugeArray<uint32_t>(n);
  set.keys_ = HugeArray<uint8_t>(n * width);

  const uint8_t* in = values.data();
  uint32_t* start = set.prefix_.data();
  uint32_t* order = set.positions_.data();
  // Counting sort by prefix (stable: positions ascend within a bucket)...
  for (size_t i = 0; i < n; ++i) ++start[set.Prefix(in + i * width) + 1];
  for (size_t k = 0; k < buckets; ++k) start[k + 1] += start[k];
  for (size_t i = 0; i < n; ++i) {
    order[start[set.Prefix(in + i * width)]++] = static_cast<uint32_t>(i);
  }
  for (size_t k = buckets; k > 0; --k) start[k] = start[k - 1];
  start[0] = 0;
  // ...then each bucket by value, equal values by position.
  for (size_t k = 0; k < buckets; ++k) {
    if (start[k + 1] - start[k] < 2) continue;
    std::sort(order + start[k], order + start[k + 1],
              [&](uint32_t x, uint32_t y) {
                const int c = std::memcmp(in + size_t{x} * width,
                                          in + size_t{y} * width, width);
                return c != 0 ? c < 0 : x < y;
              });
  }
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(set.keys_.data() + i * width, in + size_t{order[i]} * width,
                width);
  }
  return set;
}

std::pair<size_t, size_t> ExactSet::EqualRange(const uint8_t* value) const {
  const uint32_t k = Prefix(value);
  size_t lo = prefix_[k], hi = prefix_[k + 1];
  const uint8_t* keys = keys_.data();
  // Lower bound within the bucket, then extend over the equal run.
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (std::memcmp(keys + mid * width_, value, width_) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  size_t end = lo;
  const size_t bucket_end = prefix_[k + 1];
  while (end < bucket_end &&
         std::memcmp(keys + end * width_, value, width_) == 0) {
    ++end;
  }
  return {lo, end};
}

void ExactSet::Find(std::span<const uint8_t> value,
                    std::vector<uint32_t>& out) const {
  if (value.size() != width_ || size() == 0) return;
  const auto [first, last] = EqualRange(value.data());
  for (size_t i = first; i < last; ++i) out.push_back(positions_[i]);
}

bool ExactSet::Contains(std::span<const uint8_t> value) const {
  if (value.size() != width_ || size() == 0) return false;
  const auto [first, last] = EqualRange(value.data());
  return first != last;
}

}  // namespace bulwark::index

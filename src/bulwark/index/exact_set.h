// ExactSet: exact membership for fixed-width byte strings (MD5, SHA-1,
// SHA-256 digests). The values are kept sorted, back to back, beside their
// input positions, with a table over the leading bits that narrows a lookup
// to one or two entries: digests are uniform, so the leading bits spread
// them evenly. About width + 6 bytes per value; one or two cache misses per
// lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/index/huge_array.h"

namespace bulwark::index {

class ExactSet {
 public:
  ExactSet() = default;  // empty, width 0

  // `values` holds count = values.size() / width values of `width` bytes
  // (1..64) back to back; duplicates allowed. Fewer than 2^32 values.
  static Result<ExactSet> Build(size_t width, std::span<const uint8_t> values);

  // Appends the input positions of every value equal to `value`, ascending.
  // A value of another width matches nothing.
  void Find(std::span<const uint8_t> value, std::vector<uint32_t>& out) const;
  bool Contains(std::span<const uint8_t> value) const;

  size_t size() const { return positions_.size(); }
  size_t width() const { return width_; }
  size_t memory_bytes() const {
    return keys_.bytes() + positions_.bytes() + prefix_.bytes();
  }

 private:
  // [first, last) of the sorted values equal to `value`.
  std::pair<size_t, size_t> EqualRange(const uint8_t* value) const;
  uint32_t Prefix(const uint8_t* value) const;

  size_t width_ = 0;
  int prefix_bits_ = 0;
  HugeArray<uint8_t> keys_;        // sorted values, width_ bytes each
  HugeArray<uint32_t> positions_;  // input position of each sorted value
  HugeArray<uint32_t> prefix_;     // 2^prefix_bits_ + 1 bucket starts
};

}  // namespace bulwark::index

// PdqIndex: exact radius search over PDQ hashes. One interface, several
// implementations (a batched linear scan, multi-index hashing), chosen by
// size and radius. An index is immutable once built and safe to query from
// many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "bulwark/hash/pdq_hash.h"

namespace bulwark::index {

struct PdqHit {
  uint32_t code = 0;  // position of the matching code in the build input
  int distance = 0;   // Hamming distance, 0..256
};

class PdqIndex {
 public:
  virtual ~PdqIndex() = default;

  // Appends every stored code within `radius` (0..256, inclusive) of
  // `query` to `out`, in no particular order. Exact: recall is 1.0.
  virtual void Search(const hash::PdqHash& query, int radius,
                      std::vector<PdqHit>& out) const = 0;

  // Many queries at once; out[i] receives the hits of queries[i]. The
  // default runs Search per query; a scan answers a batch in one pass.
  virtual void SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                           std::vector<std::vector<PdqHit>>& out) const;

  virtual size_t size() const = 0;          // codes stored
  virtual size_t memory_bytes() const = 0;  // everything the index holds
};

// The index to use for `codes`: a linear scan for small sets (below
// kScanMaxCodes, where one pass over the data is as fast as probing),
// multi-index hashing above. PdqHit::code is the position in `codes`.
inline constexpr size_t kScanMaxCodes = 100'000;
std::unique_ptr<PdqIndex> MakePdqIndex(std::span<const hash::PdqHash> codes);

}  // namespace bulwark::index

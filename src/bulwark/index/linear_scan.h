// LinearScanIndex: compares the query with every stored code. Exact at any
// radius, the oracle for the other indexes, and the right method when the
// radius is so large that hashing would probe more than the whole set.
// SearchBatch answers a batch in one pass over memory.
#pragma once

#include <span>
#include <vector>

#include "bulwark/index/code256.h"
#include "bulwark/index/huge_array.h"
#include "bulwark/index/pdq_index.h"
#include "bulwark/index/scan_kernels.h"

namespace bulwark::index {

class LinearScanIndex : public PdqIndex {
 public:
  // Keeps every code, duplicates included: a hit's `code` is its position
  // in `codes`. An unsupported `kernel` falls back to the best supported.
  explicit LinearScanIndex(std::span<const hash::PdqHash> codes,
                           ScanKernel kernel = BestScanKernel());

  void Search(const hash::PdqHash& query, int radius,
              std::vector<PdqHit>& out) const override;
  void SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                   std::vector<std::vector<PdqHit>>& out) const override;

  size_t size() const override { return codes_.size(); }
  size_t memory_bytes() const override { return codes_.bytes(); }
  ScanKernel kernel() const { return kernel_; }

 private:
  HugeArray<Code256> codes_;
  ScanKernel kernel_;
};

}  // namespace bulwark::index

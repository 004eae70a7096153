#include "bulwark/index/linear_scan.h"

#include <algorithm>

namespace bulwark::index {

namespace {
// Queries per pass. Large enough that the codes are read from memory rarely
// (a pass over 10M codes is 320 MB), small enough that the hit vectors of a
// pass stay cheap to touch.
constexpr size_t kQueriesPerPass = 4096;
}  // namespace

LinearScanIndex::LinearScanIndex(std::span<const hash::PdqHash> codes,
                                 ScanKernel kernel)
    : codes_(codes.size()),
      kernel_(ScanKernelSupported(kernel) ? kernel : BestScanKernel()) {
  for (size_t i = 0; i < codes.size(); ++i) codes_[i] = ToCode(codes[i]);
}

void LinearScanIndex::Search(const hash::PdqHash& query, int radius,
                             std::vector<PdqHit>& out) const {
  const Code256 q = ToCode(query);
  ScanCodes(kernel_, codes_.data(), codes_.size(), 0, &q, 1, radius, &out);
}

void LinearScanIndex::SearchBatch(std::span<const hash::PdqHash> queries,
                                  int radius,
                                  std::vector<std::vector<PdqHit>>& out) const {
  out.resize(queries.size());
  for (auto& v : out) v.clear();
  std::vector<Code256> qs(std::min(queries.size(), kQueriesPerPass));
  for (size_t first = 0; first < queries.size(); first += kQueriesPerPass) {
    const size_t nq = std::min(kQueriesPerPass, queries.size() - first);
    for (size_t k = 0; k < nq; ++k) qs[k] = ToCode(queries[first + k]);
    ScanCodes(kernel_, codes_.data(), codes_.size(), 0, qs.data(), nq, radius,
              out.data() + first);
  }
}

}  // namespace bulwark::index

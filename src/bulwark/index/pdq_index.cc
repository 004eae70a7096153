#include "bulwark/index/pdq_index.h"

#include "bulwark/index/linear_scan.h"
#include "bulwark/index/mih_index.h"

namespace bulwark::index {

void PdqIndex::SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                           std::vector<std::vector<PdqHit>>& out) const {
  out.resize(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    out[i].clear();
    Search(queries[i], radius, out[i]);
  }
}

std::unique_ptr<PdqIndex> MakePdqIndex(std::span<const hash::PdqHash> codes) {
  if (codes.size() < kScanMaxCodes) {
    return std::make_unique<LinearScanIndex>(codes);
  }
  return std::make_unique<MihIndex>(codes);
}

}  // namespace bulwark::index

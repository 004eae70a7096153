#include "bulwark/index/pdq_index.h"

namespace bulwark::index {

void PdqIndex::SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                           std::vector<std::vector<PdqHit>>& out) const {
  out.resize(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    out[i].clear();
    Search(queries[i], radius, out[i]);
  }
}

}  // namespace bulwark::index

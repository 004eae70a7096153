#include "bulwark/scan/sample_checker.h"

#include "bulwark/index/hash_query.h"

namespace bulwark::scan {

std::vector<MemberCheck> CheckSample(const Sample& sample,
                                     const index::Snapshot& snapshot,
                                     const CheckSettings& settings) {
  std::vector<MemberCheck> out;
  for (size_t i = 0; i < sample.members.size(); ++i) {
    const Member& m = sample.members[i];
    if (!m.image || m.error) continue;
    MemberCheck c;
    c.member = i;
    c.hashes = hash::HashBytes(m.bytes, settings.request);
    c.matches = index::MatchQuery(snapshot, index::QueryFromHashes(c.hashes),
                                  settings.threshold, settings.banks);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace bulwark::scan

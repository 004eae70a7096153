#include "bulwark/index/hash_query.h"

namespace bulwark::index {

HashQuery QueryFromHashes(const hash::FileHashes& h) {
  HashQuery q;
  auto add = [&](hash::SignalType t, const std::optional<std::string>& hex) {
    if (hex) q.digests.push_back(*hash::Signal::Parse(t, *hex));
  };
  add(hash::SignalType::kMd5, h.md5);
  add(hash::SignalType::kSha1, h.sha1);
  add(hash::SignalType::kSha256, h.sha256);
  if (h.pdq) {
    if (h.pdq->dihedral) {
      // The dihedral-path original can differ from the plain hash for 64x64
      // images; look up the plain hash as variant 0.
      q.pdq_variants.assign(h.pdq->dihedral->begin(), h.pdq->dihedral->end());
      q.pdq_variants[0] = h.pdq->hash;
    } else {
      q.pdq_variants.push_back(h.pdq->hash);
    }
  }
  return q;
}

std::vector<Match> MatchQuery(const Snapshot& snapshot, const HashQuery& query,
                              std::optional<int> threshold,
                              const std::set<std::string>& only_banks) {
  std::vector<Match> matches;
  for (const hash::Signal& d : query.digests) {
    auto m = snapshot.MatchDigest(d);
    matches.insert(matches.end(), m.begin(), m.end());
  }
  if (!query.pdq_variants.empty()) {
    auto m = snapshot.MatchPdq(query.pdq_variants, threshold);
    matches.insert(matches.end(), m.begin(), m.end());
  }
  if (!only_banks.empty()) {
    std::erase_if(matches, [&](const Match& m) {
      return !only_banks.count(m.bank_name);
    });
  }
  return matches;
}

}  // namespace bulwark::index

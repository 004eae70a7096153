// What to look up for one file: its digests and its PDQ hash (with the
// dihedral variants when they were computed), and the lookup itself, so
// every command that matches files (`match`, `scan`, the service) asks the
// banks the same question.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bulwark/hash/file_hasher.h"
#include "bulwark/hash/pdq_hash.h"
#include "bulwark/hash/signal.h"
#include "bulwark/index/matcher.h"

namespace bulwark::index {

struct HashQuery {
  std::vector<hash::Signal> digests;        // md5 / sha1 / sha256
  std::vector<hash::PdqHash> pdq_variants;  // [0] is the hash itself
};

// The query for a file's hashes (whatever of them were computed).
HashQuery QueryFromHashes(const hash::FileHashes& hashes);

// Every match of `query` in `snapshot`: digests exactly, PDQ within each
// bank's threshold (or `threshold` for all). When `only_banks` is not
// empty, matches in other banks are dropped.
std::vector<Match> MatchQuery(const Snapshot& snapshot, const HashQuery& query,
                              std::optional<int> threshold,
                              const std::set<std::string>& only_banks);

}  // namespace bulwark::index

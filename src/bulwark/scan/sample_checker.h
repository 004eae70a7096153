// The per-sample work of a scan: hash every image member (digests of the
// bytes, PDQ of the pixels) and look the hashes up in the banks. Runs on the
// pipeline's worker threads; the snapshot is shared and immutable.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bulwark/hash/file_hasher.h"
#include "bulwark/index/matcher.h"
#include "bulwark/scan/sample.h"

namespace bulwark::scan {

struct CheckSettings {
  hash::HashRequest request;
  std::optional<int> threshold;  // PDQ radius for every bank, else each own
  std::set<std::string> banks;   // only these banks; empty: all enabled
};

struct MemberCheck {
  size_t member = 0;  // index into Sample::members
  hash::FileHashes hashes;
  std::vector<index::Match> matches;
};

// One entry per image member that was read (members with a read error are
// left to the caller), in member order.
std::vector<MemberCheck> CheckSample(const Sample& sample,
                                     const index::Snapshot& snapshot,
                                     const CheckSettings& settings);

}  // namespace bulwark::scan

// The hash detector: hashes an item's image (MD5, SHA-1, SHA-256 of the
// bytes; PDQ of the pixels, with its 8 dihedral variants by default) and
// reports every match in the enabled banks, from the matcher's current
// snapshot (so bank changes apply to the next item without a restart).
#pragma once

#include <set>
#include <string>

#include "bulwark/detect/detector.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/index/matcher.h"

namespace bulwark::detect {

// The bank category of allow-lists: hashes of content people reviewed and
// judged false positives. A match in one is reported as "hash.allowed" and
// suppresses the matches it explains (hash_detector.cc, ExplainedAway).
inline constexpr const char* kAllowListCategory = "allow";

struct HashDetectorOptions {
  hash::HashRequest request;     // dihedral on by default (see constructor)
  std::optional<int> threshold;  // PDQ radius for all banks, else each own
};

class HashDetector final : public Detector {
 public:
  // `matcher` must outlive the detector.
  HashDetector(const index::Matcher& matcher, HashDetectorOptions options);
  static HashDetectorOptions
  DefaultOptions();  // full PDQ, dihedral, all digests

  std::string_view name() const override { return "hash"; }
  // Findings: one "hash.match" per match, category = the bank's category.
  // An image that cannot be decoded is an error (its digests are still
  // matched and reported); no image: an empty report.
  DetectorReport Run(const Item& item) const override;

 private:
  const index::Matcher& matcher_;
  HashDetectorOptions options_;
};

}  // namespace bulwark::detect

#include "bulwark/detect/hash_detector.h"

#include <string>
#include <utility>

#include "bulwark/hash/pdq_dct.h"
#include "bulwark/index/hash_query.h"

namespace bulwark::detect {
namespace {

const char* DigestName(hash::SignalType t) {
  switch (t) {
    case hash::SignalType::kMd5:
      return "MD5";
    case hash::SignalType::kSha1:
      return "SHA-1";
    case hash::SignalType::kSha256:
      return "SHA-256";
    case hash::SignalType::kPdq:
      return "PDQ";
  }
  return "hash";
}

// "PDQ distance 4 (rot90) to entry 81233 of bank ncmec" or "MD5 equal to
// entry 7 of bank ncmec": enough for a reviewer to find the entry.
std::string Reason(const index::Match& m, const hash::FileHashes& hashes) {
  std::string r;
  if (m.type == hash::SignalType::kPdq) {
    r = "PDQ distance ";
    r += std::to_string(m.distance);
    if (m.variant != 0) {
      r += " (";
      r += hash::DihedralName(static_cast<hash::Dihedral>(m.variant));
      r += ")";
    }
    r += " to entry ";
  } else {
    r = DigestName(m.type);
    r += " equal to entry ";
  }
  r += std::to_string(m.entry_id);
  r += " of bank ";
  r += m.bank_name;
  // A flat or blurred image's PDQ hash is noise; say so rather than drop
  // the match, so the policy still sees it and a person can judge.
  if (m.type == hash::SignalType::kPdq && hashes.pdq &&
      !hashes.pdq->reliable()) {
    r += " (image PDQ quality ";
    r += std::to_string(hashes.pdq->quality);
    r += " is below 50: unreliable)";
  }
  return r;
}

// A person judged content matching these entries a false positive (the
// review queue's false_positive decision adds its hashes to a bank of this
// category). Such a match explains away the others it accounts for: every
// other match when it is an exact digest (the very file was reviewed), and
// the PDQ matches farther away than it when it is a PDQ match (the image is
// closer to the reviewed one than to the listed one). Exact digests of
// other banks are never explained away by a PDQ likeness.
bool ExplainedAway(const index::Match& m,
                   const std::vector<index::Match>& all) {
  if (m.bank_category == kAllowListCategory) return false;
  for (const index::Match& allow : all) {
    if (allow.bank_category != kAllowListCategory) continue;
    if (allow.type != hash::SignalType::kPdq) return true;
    if (m.type == hash::SignalType::kPdq && allow.distance < m.distance) {
      return true;
    }
  }
  return false;
}

}  // namespace

HashDetector::HashDetector(const index::Matcher& matcher,
                           HashDetectorOptions options)
    : matcher_(matcher), options_(std::move(options)) {}

HashDetectorOptions HashDetector::DefaultOptions() {
  HashDetectorOptions o;
  o.request.pdq = o.request.md5 = o.request.sha1 = o.request.sha256 = true;
  o.request.pdq_options.mode = hash::PdqMode::kFull;
  // Rotated and mirrored copies are a cheap evasion; the 8 variants come
  // from the same DCT at almost no cost.
  o.request.pdq_options.dihedral = true;
  return o;
}

DetectorReport HashDetector::Run(const Item& item) const {
  DetectorReport report;
  report.detector = std::string(name());
  if (!item.image) return report;

  hash::FileHashes hashes =
      item.decoded
          ? hash::HashDecoded(*item.image, item.decoded->Get(*item.image),
                              options_.request)
          : hash::HashBytes(*item.image, options_.request);
  // The digests are matched even when decoding failed: an exact copy of a
  // listed file is known whether or not its pixels decode.
  if (hashes.error) report.error = hashes.error;

  // Take the snapshot once so every lookup for this item sees the same
  // banks, even while the matcher refreshes.
  const std::shared_ptr<const index::Snapshot> snapshot = matcher_.snapshot();
  const std::vector<index::Match> matches =
      index::MatchQuery(*snapshot, index::QueryFromHashes(hashes),
                        options_.threshold, /*only_banks=*/{});
  report.findings.reserve(matches.size());
  for (const index::Match& m : matches) {
    if (ExplainedAway(m, matches)) continue;
    Finding f;
    f.detector = report.detector;
    f.kind =
        m.bank_category == kAllowListCategory ? "hash.allowed" : "hash.match";
    f.category = m.bank_category;
    f.score = 1.0;
    f.reason = Reason(m, hashes);
    f.match = m;
    report.findings.push_back(std::move(f));
  }
  report.hashes = std::move(hashes);
  return report;
}

}  // namespace bulwark::detect

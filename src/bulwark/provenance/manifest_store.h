// The C2PA manifest store as a verifier sees it: the manifests in store
// order (the active one is the last), each with its claim, its claim
// signature and its assertions by label, all as views into the store's
// JUMBF bytes. The model is deliberately lenient about what is missing or
// repeated (it counts claim and signature boxes) so that the verifier can
// name the C2PA status code for each problem; only broken JUMBF framing is
// an error here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/provenance/jumbf_reader.h"

namespace bulwark::provenance {

// A manifest store found in an asset.
struct EmbeddedStore {
  std::vector<uint8_t> jumbf;  // reassembled when split over JPEG segments
  // The bytes of the asset the store occupies together with its container
  // framing (all its APP11 segments, its whole caBX chunk), [begin, end):
  // what the hard binding's exclusion must cover.
  uint64_t begin = 0;
  uint64_t end = 0;
};

struct StoredAssertion {
  std::string label;  // "c2pa.actions.v2", "c2pa.hash.data", ...
  // The assertion superbox without its header: what a hashed URI hashes.
  std::span<const uint8_t> hashed_bytes;
  std::string box_type;  // of the first content box: "cbor", "json", ...
  std::span<const uint8_t> content;  // that box's payload
};

struct StoredManifest {
  std::string label;               // "urn:c2pa:<uuid>[:...]"
  std::string claim_label;         // "c2pa.claim.v2" or, for 1.x, "c2pa.claim"
  size_t claim_boxes = 0;          // claim superboxes found (valid: exactly 1)
  std::span<const uint8_t> claim;  // CBOR of the first claim: the payload
                                   // the signature covers
  size_t signature_boxes = 0;      // valid: exactly 1
  std::span<const uint8_t> signature;  // COSE_Sign1 CBOR of the first one
  std::vector<StoredAssertion> assertions;

  const StoredAssertion* FindAssertion(std::string_view label) const;
};

struct ManifestStore {
  std::vector<StoredManifest> manifests;  // store order; active = last
};

// Builds the model over `jumbf`, which must outlive the result. kCorrupt
// when the JUMBF framing is broken or the root is not a C2PA store ("c2pa"
// content type); kLimitExceeded from the JUMBF limits.
Result<ManifestStore> ReadManifestStore(std::span<const uint8_t> jumbf,
                                        const JumbfLimits& limits = {});

}  // namespace bulwark::provenance

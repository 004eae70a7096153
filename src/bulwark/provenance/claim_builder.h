// The signed content of a C2PA 2.x manifest: two assertions and the claim
// (v2) that lists them by hashed URI.
//   c2pa.actions.v2: one c2pa.created action, digitalSourceType
//     trainedAlgorithmicMedia, the generator as softwareAgent;
//   c2pa.hash.data: the hard binding, SHA-256 of the asset with exactly one
//     exclusion, the bytes that carry the manifest store.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

// The software that generated the asset and signs the claim.
struct GeneratorInfo {
  std::string name;     // e.g. "Bulwark"
  std::string version;  // may be empty
};

struct HardBinding {
  uint64_t exclusion_start = 0;   // offset of the manifest store's container
  uint64_t exclusion_length = 0;  // its size in bytes, headers included
  std::array<uint8_t, 32> asset_sha256{};  // of every other byte
};

struct ManifestIds {
  std::string manifest_label;  // "urn:c2pa:<uuid>"
  std::string instance_id;     // "xmp:iid:<uuid>"
};

// Everything of a manifest but the signature.
struct UnsignedManifest {
  std::vector<std::vector<uint8_t>> assertion_boxes;  // JUMBF superboxes
  std::vector<uint8_t> claim;                         // the claim's CBOR
};

Result<UnsignedManifest> BuildUnsignedManifest(const ManifestIds& ids,
                                               const GeneratorInfo& generator,
                                               const HardBinding& binding);

// The manifest store superbox (label "c2pa") holding one manifest: the
// assertion store, the claim and `cose_sign1` (the claim signature).
std::vector<uint8_t> AssembleManifestStore(const ManifestIds& ids,
                                           const UnsignedManifest& manifest,
                                           std::span<const uint8_t> cose_sign1);

}  // namespace bulwark::provenance

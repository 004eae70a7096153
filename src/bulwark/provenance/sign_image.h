// Signing an image with a C2PA manifest that declares it AI-generated
// (IPTC trainedAlgorithmicMedia), plus the same label in XMP.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/provenance/claim_builder.h"
#include "bulwark/provenance/signer.h"

namespace bulwark::provenance {

struct SignOptions {
  // Named in the claim and as the software agent of the c2pa.created action.
  GeneratorInfo generator{"Bulwark", ""};
  // Larger images are refused (kLimitExceeded) before any copy is made.
  uint64_t max_image_bytes = 256ull << 20;
};

// `image` (JPEG or PNG, recognised by its bytes) with XMP carrying the
// digital source type and an embedded, signed C2PA manifest store. Errors:
// kUnsupported for other formats and for an image that already carries a
// C2PA manifest (adding to a provenance chain is not supported yet) or
// XMP that cannot be extended; kCorrupt for a malformed container;
// kLimitExceeded past `max_image_bytes`; the signer's own errors.
// "NAME/VERSION" or "NAME" (as the CLI and the service config take it).
GeneratorInfo ParseGenerator(std::string_view text);

Result<std::vector<uint8_t>> SignImage(std::span<const uint8_t> image,
                                       const Signer& signer,
                                       const SignOptions& options);

}  // namespace bulwark::provenance

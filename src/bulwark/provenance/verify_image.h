// Verification of the C2PA manifest embedded in a JPEG or PNG, in the
// order the C2PA 2.x validation section gives: the store's structure, the
// claim signature and its certificate, every assertion's hashed URI, and
// the hard binding (c2pa.hash.data) against the asset's bytes. Failures
// are named with the specification's validation status codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct VerifyOptions {
  // PEM text of trusted root (or intermediate) certificates. Empty: the
  // chain is only checked for its own consistency.
  std::vector<std::string> trust_anchor_pems;
  // Larger embedded stores are invalid without being read.
  size_t max_store_bytes = 1 << 20;
};

enum class VerifyState {
  kNone,     // no C2PA manifest in the image (or not a JPEG/PNG)
  kInvalid,  // a check failed; see failed_check and reason
  kValid,    // every check passed, but the signer is not trusted
  kTrusted,  // valid, and the chain ends in one of the trust anchors
};

// "none", "invalid", "valid", "trusted".
const char* VerifyStateName(VerifyState state);

struct VerifyReport {
  VerifyState state = VerifyState::kNone;
  // The C2PA status code of the first failed check
  // ("assertion.dataHash.mismatch", "claimSignature.mismatch", ...). For a
  // kValid report, "signingCredential.untrusted". Empty when trusted or
  // when there is no manifest.
  std::string failed_check;
  std::string reason;  // a sentence for a person; empty when trusted
  // From the active manifest, filled as far as verification got.
  std::string claim_generator;       // "name/version" of the generator
  std::vector<std::string> actions;  // "c2pa.created", ...
  std::string digital_source_type;   // IPTC URI of the first action with one
  bool ai_generated = false;   // the source type is (composite with) trained
                               // algorithmic media
  std::string signer_subject;  // RFC 2253 subject of the signing certificate
  std::string alg;             // "ES256", "PS256", "Ed25519", ...
};

// Verifies `image`. A malformed or tampered manifest is a kInvalid report
// with a reason, never an error; the Result fails only when the options
// themselves are unusable (trust anchors that do not parse).
Result<VerifyReport> VerifyImage(std::span<const uint8_t> image,
                                 const VerifyOptions& options);

}  // namespace bulwark::provenance

// Who signs a C2PA claim. The engine only needs a signature over given bytes
// and the certificate chain that vouches for the key, so a platform can back
// this interface with a PEM key file (pem_signer.h), an HSM or a cloud KMS.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

// The claim signature algorithms Bulwark produces (C2PA §13.2).
enum class SigningAlgorithm {
  kEs256,    // ECDSA P-256 with SHA-256
  kPs256,    // RSASSA-PSS with SHA-256, MGF1 SHA-256, 32-byte salt
  kEd25519,  // EdDSA over Curve25519
};

// "es256", "ps256", "ed25519".
const char* SigningAlgorithmName(SigningAlgorithm alg);
// Accepts the names above, case-insensitively; kInvalidArgument otherwise.
Result<SigningAlgorithm> ParseSigningAlgorithm(std::string_view name);
// The COSE algorithm identifier (RFC 9053): -7, -37, -8.
int64_t CoseAlgorithmId(SigningAlgorithm alg);

class Signer {
 public:
  virtual ~Signer() = default;

  // The signature over `to_be_signed` in the form COSE carries it: for
  // ES256 the raw r || s (64 bytes), never DER; for PS256 the modulus-sized
  // RSA signature; for Ed25519 64 bytes. Must be safe to call from several
  // threads at once.
  virtual Result<std::vector<uint8_t>> Sign(
      std::span<const uint8_t> to_be_signed) const = 0;

  virtual SigningAlgorithm alg() const = 0;

  // DER certificates, the signing (leaf) certificate first, then the
  // intermediates; never the root, which verifiers must already hold.
  virtual const std::vector<std::vector<uint8_t>>& certificate_chain_der()
      const = 0;
};

}  // namespace bulwark::provenance

// The C2PA claim signature: a tagged COSE_Sign1 (RFC 9052) with a detached
// payload (the claim's CBOR bytes, which sit in their own box). As C2PA 2.x
// requires, the protected header carries the algorithm (label 1) and the
// certificate chain (x5chain, label 33); the unprotected header is empty.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/provenance/signer.h"

namespace bulwark::provenance {

// COSE_Sign1 over `claim`, signed by `signer`. Fails when the signer fails
// or returns a signature of another size than CoseSignatureSize promised.
Result<std::vector<uint8_t>> CoseSign1(const Signer& signer,
                                       std::span<const uint8_t> claim);

// Size in bytes of what CoseSign1 returns for this signer, known before
// signing: the manifest store's size must be fixed before the asset is
// hashed, and the signature box comes last.
Result<size_t> CoseSign1Size(const Signer& signer);

// Size of the signature `signer` produces: 64 for ES256 and Ed25519, the
// RSA modulus size (from the leaf certificate) for PS256.
Result<size_t> SignatureSize(const Signer& signer);

}  // namespace bulwark::provenance

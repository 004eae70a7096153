// COSE_Sign1 (RFC 9052) claim signatures as C2PA makes them: the claim is
// the detached payload, the algorithm and the signer's certificate chain
// (x5chain, label 33) sit in the headers, and ECDSA signatures are the raw
// r || s concatenation COSE uses, not DER.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <span>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

// COSE algorithm identifiers (IANA "COSE Algorithms") C2PA allows.
enum class CoseAlgorithm : int64_t {
  kEs256 = -7,
  kEs384 = -35,
  kEs512 = -36,
  kPs256 = -37,
  kPs384 = -38,
  kPs512 = -39,
  kEdDsa = -8,  // Ed25519
};

// "ES256", "PS256", "Ed25519", ...
const char* CoseAlgorithmName(CoseAlgorithm alg);

struct CoseSign1 {
  CoseAlgorithm alg = CoseAlgorithm::kEs256;
  std::span<const uint8_t> protected_header;      // serialized, as signed
  std::vector<std::span<const uint8_t>> x5chain;  // DER, signer first
  std::span<const uint8_t> signature;
};

// Reads a (tagged or untagged) COSE_Sign1 from `cbor`, which must outlive
// the result. kCorrupt for a malformed structure or missing x5chain;
// kUnsupported for an algorithm outside CoseAlgorithm.
Result<CoseSign1> ReadCoseSign1(std::span<const uint8_t> cbor);

// Checks `sign1.signature` over the Sig_structure of the detached
// `payload` with `key`, whose type must suit the algorithm (an EC key on the
// matching curve, RSA, Ed25519). kCorrupt when the signature does not
// verify, kUnsupported when the key does not suit the algorithm.
Status VerifyCoseSign1(const CoseSign1& sign1, std::span<const uint8_t> payload,
                       EVP_PKEY* key);

}  // namespace bulwark::provenance

// A throwaway certificate authority for trying C2PA signing: a self-signed
// root and one leaf certificate carrying the extensions C2PA verifiers
// require of a claim signer (key usage digitalSignature, critical; extended
// key usage emailProtection and documentSigning; authority and subject key
// identifiers). For tests only: in production the signing certificate must
// come from a CA on the C2PA trust list, or verifiers report it untrusted.
#pragma once

#include <string>

#include "bulwark/core/result.h"
#include "bulwark/provenance/signer.h"

namespace bulwark::provenance {

struct TestCa {
  std::string root_pem;      // the root certificate (trust anchor)
  std::string chain_pem;     // the leaf certificate alone (no root)
  std::string leaf_key_pem;  // the leaf's private key, PKCS#8, unencrypted
};

// A new root (EC P-256, valid 10 years) and leaf whose key suits `leaf_alg`
// (P-256, RSA 2048 or Ed25519; valid 1 year). Both start an hour in the
// past, so a verifier's clock slightly behind ours still accepts them.
Result<TestCa> MakeTestCa(SigningAlgorithm leaf_alg);

// Writes DIR/root.pem, DIR/chain.pem and DIR/leaf.key (mode 0600), creating
// DIR if needed. Refuses (kInvalidArgument) when DIR/leaf.key exists, so a
// real key is never overwritten by mistake.
Status WriteTestCa(const TestCa& ca, const std::string& dir);

}  // namespace bulwark::provenance

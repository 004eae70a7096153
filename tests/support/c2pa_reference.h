// Fixtures from the C2PA reference implementation, c2pa-rs, run through
// @contentauth/c2pa-node by tests/node/c2pa_sign_fixture.mjs: a throwaway
// test CA made with the openssl command, images signed with it, and
// c2pa-rs's own verdict on a file. Everything goes into the caller's
// scratch directory; nothing signed is kept. Without node or openssl these
// fail, never skip.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::testing {

enum class TestKeyType { kEcP256, kRsa2048, kEd25519 };

// Paths of a root certificate, the signer's chain (leaf only) and its key.
struct TestCa {
  std::string root;
  std::string chain;
  std::string key;
};

// A root (P-256) and a leaf with the profile c2pa-rs insists on: key usage
// digitalSignature (critical), extended key usage emailProtection, subject
// and authority key identifiers.
::testing::AssertionResult MakeTestCa(const std::string& dir, TestKeyType type,
                                      TestCa* ca);

// Signs `in` (JPEG or PNG) into `out` with c2pa-rs: a c2pa.created action
// with digitalSourceType trainedAlgorithmicMedia, no thumbnail. `alg` is
// "es256", "ps256" or "ed25519"; `filler_bytes` > 0 adds an assertion that
// large.
::testing::AssertionResult SignWithReference(const TestCa& ca,
                                             const std::string& in,
                                             const std::string& out,
                                             const std::string& alg = "es256",
                                             size_t filler_bytes = 0);

struct ReferenceVerdict {
  std::string state;                  // "None", "Invalid", "Valid" or "Trusted"
  std::vector<std::string> failures;  // validation status codes
  std::string output;                 // what the script printed
};

// c2pa-rs's verdict on `file`; `anchors_pem` (a path) makes a root a user
// trust anchor.
ReferenceVerdict ReadWithReference(const std::string& file,
                                   const std::string& anchors_pem = "");

}  // namespace bulwark::testing

// The signer's certificates of a C2PA claim signature (the COSE x5chain,
// signer first): parsing, the C2PA profile of a claim-signing certificate,
// and the two ways a chain is accepted: self-consistent (every certificate
// issued and signed by the next, all within validity now), or built by
// OpenSSL up to a trust anchor the caller gives.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct X509Deleter {
  void operator()(X509* cert) const;
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// DER certificates, in order. kCorrupt names the index of one that does not
// parse; an empty list is kCorrupt too.
Result<std::vector<X509Ptr>> ParseCertificates(
    const std::vector<std::span<const uint8_t>>& der);

// Every certificate in PEM text (any number of "BEGIN CERTIFICATE" blocks).
// kInvalidArgument when there is none or one does not parse.
Result<std::vector<X509Ptr>> ParsePemCertificates(const std::string& pem);

// The C2PA claim-signing profile: X.509 v3, not a CA, key usage present,
// critical and including digitalSignature, extended key usage present with
// one of emailProtection, documentSigning, timeStamping, OCSPSigning or the
// C2PA claim-signing purpose, and not anyExtendedKeyUsage. The error
// message names the rule broken.
Status CheckSignerProfile(X509* signer);

// The outcome of checking a chain; `reason` is a sentence for a person.
struct ChainCheck {
  enum class Outcome {
    kAccepted,
    kExpired,    // a certificate is outside its validity period now
    kBroken,     // a certificate is not issued or signed by the next one
    kUntrusted,  // no path to any of the given anchors
  };
  Outcome outcome = Outcome::kAccepted;
  std::string reason;
};

// The chain's own consistency (signer first): kAccepted, kExpired or
// kBroken.
ChainCheck CheckChainConsistent(const std::vector<X509Ptr>& chain);

// OpenSSL path validation from the signer through the rest of `chain` to
// one of `anchors` (an anchor may be an intermediate): kAccepted, kExpired
// or kUntrusted.
ChainCheck VerifyChainToAnchors(const std::vector<X509Ptr>& chain,
                                const std::vector<X509Ptr>& anchors);

// "CN=Test Signer,O=Bulwark" (RFC 2253).
std::string SubjectName(X509* cert);

}  // namespace bulwark::provenance

// OpenSSL's queued error, as text for the messages of the signer and the
// test CA when OpenSSL refuses a key, a certificate or a signature.
#pragma once

#include <string>

namespace bulwark::provenance {

// The oldest queued error ("unknown OpenSSL error" when none); clears the
// queue so a later failure does not report a stale one.
std::string OpenSslError();

}  // namespace bulwark::provenance

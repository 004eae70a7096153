#include "bulwark/audit/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "bulwark/core/hex.h"

namespace bulwark::audit {

std::string Sha256Hex(std::string_view bytes) {
  std::array<uint8_t, 32> digest{};
  unsigned int size = 0;
  // EVP_Digest fails only when OpenSSL itself is broken (no SHA-256
  // provider); an audit chain without hashes must not carry on.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(),
                 nullptr) != 1 ||
      size != digest.size()) {
    std::abort();
  }
  return HexEncode(digest);
}

}  // namespace bulwark::audit

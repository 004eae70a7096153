#include "bulwark/service/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>

#include "bulwark/core/ascii.h"
#include "bulwark/core/hex.h"
#include "bulwark/hash/digest.h"

namespace bulwark::service {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kClient:
      return "client";
    case Role::kAdmin:
      return "admin";
    case Role::kReviewer:
      return "reviewer";
  }
  return "client";
}

std::optional<Role> ParseRole(const std::string& name) {
  for (Role r : {Role::kClient, Role::kAdmin, Role::kReviewer}) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

namespace {

// The key's text from "Bearer KEY" (scheme case-insensitive, RFC 7235).
std::optional<std::string_view> BearerToken(std::string_view value) {
  value = TrimSpaceTab(value);
  const size_t space = value.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  if (!EqualsIgnoreAsciiCase(value.substr(0, space), "bearer"))
    return std::nullopt;
  std::string_view token = TrimSpaceTab(value.substr(space));
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) {
    return std::nullopt;
  }
  return token;
}

}  // namespace

std::string HashApiKey(const std::string& key) {
  auto hex = hash::DigestHex(
      hash::DigestAlgorithm::kSha256,
      std::span(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  // Only an OpenSSL that cannot do SHA-256 at all fails here; failing
  // loudly beats treating every key as unknown.
  if (!hex.ok()) throw std::runtime_error("SHA-256 is unavailable in OpenSSL");
  return *hex;
}

std::string NewApiKey() {
  uint8_t bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    throw std::runtime_error("the OS random number generator failed");
  }
  std::string key = "bwk_";
  key += HexEncode(bytes);
  return key;
}

Authenticator Authenticator::Insecure() {
  Authenticator auth({});
  auth.insecure_ = true;
  return auth;
}

std::optional<Authenticator::Caller> Authenticator::Check(
    const std::optional<std::string>& authorization) const {
  if (insecure_)
    return Caller{"insecure", {Role::kClient, Role::kAdmin, Role::kReviewer}};
  if (!authorization) return std::nullopt;
  const std::optional<std::string_view> token = BearerToken(*authorization);
  if (!token) return std::nullopt;

  const std::string presented = HashApiKey(std::string(*token));
  // Compare with every stored digest without stopping at a match, so the
  // time taken says nothing about which key (if any) matched. Comparing
  // digests rather than keys also hides the key's length.
  const ApiKey* found = nullptr;
  for (const ApiKey& key : keys_) {
    const bool same = key.sha256_hex.size() == presented.size() &&
                      CRYPTO_memcmp(key.sha256_hex.data(), presented.data(),
                                    presented.size()) == 0;
    if (same && found == nullptr) found = &key;
  }
  if (found == nullptr) return std::nullopt;
  Caller caller;
  caller.key_name = found->name;
  // Admin implies client; a reviewer key is only that.
  if (found->role == Role::kReviewer) {
    caller.roles.push_back(Role::kReviewer);
  } else {
    caller.roles.push_back(Role::kClient);
  }
  if (found->role == Role::kAdmin) caller.roles.push_back(Role::kAdmin);
  return caller;
}

}  // namespace bulwark::service

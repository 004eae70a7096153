// API keys: `Authorization: Bearer KEY`. Keys are kept only as SHA-256
// digests and compared in constant time; the key itself is never stored
// after start-up nor logged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bulwark/service/http.h"

namespace bulwark::service {

struct ApiKey {
  std::string name;        // for logs and metrics: "admin", "frontend-1"
  std::string sha256_hex;  // SHA-256 of the key's text, lowercase hex
  Role role = Role::kClient;
};

// SHA-256 hex of a key's text.
std::string HashApiKey(const std::string& key);

// A new random key (32 bytes from the OS's CSPRNG, as "bwk_" + hex).
std::string NewApiKey();

class Authenticator {
 public:
  explicit Authenticator(std::vector<ApiKey> keys) : keys_(std::move(keys)) {}
  // Every request gets every role (--insecure-no-auth).
  static Authenticator Insecure();

  struct Caller {
    std::string key_name;
    std::vector<Role> roles;  // admin implies client
  };
  // The caller for an Authorization header value, nullopt when the header
  // is missing, malformed, or names no known key.
  std::optional<Caller> Check(
      const std::optional<std::string>& authorization) const;

  bool insecure() const { return insecure_; }

 private:
  std::vector<ApiKey> keys_;
  bool insecure_ = false;
};

}  // namespace bulwark::service

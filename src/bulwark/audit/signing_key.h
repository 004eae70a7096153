// Ed25519 keys for signing audit checkpoints (OpenSSL 3 EVP), kept in PEM
// files: the private key where the service runs, the public key wherever
// the log is verified. A key is named by its key id, the first 16 hex
// digits of the SHA-256 of its 32 raw public-key bytes, which each
// checkpoint records so verification can say which key signed it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "bulwark/core/result.h"

namespace bulwark::audit {

// Verifies signatures. Copyable handle to an immutable key.
class PublicKey {
 public:
  // A PEM public key ("BEGIN PUBLIC KEY"), or a PEM private key, whose
  // public half is taken. Anything but Ed25519 is refused.
  static Result<PublicKey> FromPemFile(const std::string& path);

  const std::string& key_id() const { return key_id_; }
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  friend class SigningKey;
  explicit PublicKey(std::shared_ptr<EVP_PKEY> key, std::string key_id)
      : key_(std::move(key)), key_id_(std::move(key_id)) {}

  std::shared_ptr<EVP_PKEY> key_;
  std::string key_id_;
};

class SigningKey {
 public:
  // A PEM Ed25519 private key, as `bulwark audit make-key` writes it.
  static Result<SigningKey> FromPemFile(const std::string& path);

  const std::string& key_id() const { return public_key_.key_id(); }
  const PublicKey& public_key() const { return public_key_; }
  // The 64-byte Ed25519 signature of `message`.
  Result<std::string> Sign(std::string_view message) const;

 private:
  SigningKey(std::shared_ptr<EVP_PKEY> key, PublicKey pub)
      : key_(std::move(key)), public_key_(std::move(pub)) {}

  std::shared_ptr<EVP_PKEY> key_;
  PublicKey public_key_;
};

// Writes a new Ed25519 private key to `path` (mode 0600) and its public key
// to `path`.pub (mode 0644), each fsynced. Refuses, writing nothing, when
// either file exists. Returns the key id.
Result<std::string> GenerateKeyFiles(const std::string& path);

}  // namespace bulwark::audit

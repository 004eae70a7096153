// Cryptographic digests (MD5, SHA-1, SHA-256) of byte streams, through
// OpenSSL 3's EVP interface. MD5 and SHA-1 are broken for security but are
// what many hash lists of known content carry, so they are computed for
// matching, never for integrity.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "bulwark/core/result.h"

namespace bulwark::hash {

enum class DigestAlgorithm { kMd5, kSha1, kSha256 };

const char* DigestName(DigestAlgorithm a);  // "md5", "sha1", "sha256"
size_t DigestSize(DigestAlgorithm a);       // 16, 20, 32 bytes

// Incremental digest: Update() any number of times, then Finish() once.
class Digester {
 public:
  static Result<Digester> Create(DigestAlgorithm algorithm);
  Digester(Digester&&) noexcept;
  Digester& operator=(Digester&&) noexcept;
  ~Digester();

  void Update(std::span<const uint8_t> bytes);
  // Lowercase hex of the digest.
  Result<std::string> FinishHex();

 private:
  struct State;
  explicit Digester(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// One-shot convenience: lowercase hex digest of `bytes`.
Result<std::string> DigestHex(DigestAlgorithm algorithm,
                              std::span<const uint8_t> bytes);

}  // namespace bulwark::hash

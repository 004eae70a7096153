// Evidence: the content of an incident as received (text, prompt, media
// bytes), kept only when configured (`evidence.keep = true`) and only
// encrypted, with libsodium's secretbox (XSalsa20-Poly1305) under a 32-byte
// key that lives outside the data directory (a file or an environment
// variable), never beside the data it protects.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/detect/item.h"

namespace bulwark::incident {

struct EvidenceOptions {
  bool keep = false;     // keep content at all
  std::string key_file;  // raw 32 bytes, or 64 hex digits (and a newline)
  std::string key_env;   // name of a variable holding 64 hex digits
};

// A secretbox key, wiped from memory when destroyed. Move-only.
class EvidenceKey {
 public:
  static constexpr size_t kSize = 32;

  static Result<EvidenceKey> FromBytes(std::span<const uint8_t> bytes);
  // Refuses a file inside `data_dir` (the key must not be stored with the
  // data) and a file that group or others may read.
  static Result<EvidenceKey> FromFile(const std::string& path,
                                      const std::string& data_dir);
  static Result<EvidenceKey> FromEnv(const std::string& variable);

  EvidenceKey(EvidenceKey&&) noexcept = default;
  EvidenceKey& operator=(EvidenceKey&&) noexcept = default;
  ~EvidenceKey();

  // A fingerprint of the key (16 hex digits, a keyed BLAKE2b of nothing
  // secret), stored with each sealed item so that a wrong key is told
  // apart from damaged data. Reveals nothing about the key.
  const std::string& id() const { return id_; }
  const uint8_t* data() const { return bytes_->data(); }

 private:
  EvidenceKey() = default;
  std::unique_ptr<std::array<uint8_t, kSize>> bytes_;
  std::string id_;
};

// The key `options` name, or nothing when evidence is not kept. keep=true
// without exactly one key source, or with a key that does not load, is an
// error: content is never kept unencrypted.
Result<std::optional<EvidenceKey>> LoadEvidenceKey(
    const EvidenceOptions& options, const std::string& data_dir);

// Writes a new random key to `path` as 64 hex digits, mode 0600, durably.
// Refuses to overwrite an existing file.
Status WriteNewKeyFile(const std::string& path);

// The content of one item, as received.
struct Evidence {
  std::optional<std::string> text;
  std::optional<std::string> prompt;
  std::optional<std::vector<uint8_t>> media;
};
Evidence EvidenceFromItem(const detect::Item& item);

struct SealedEvidence {
  std::string key_id;
  std::vector<uint8_t> nonce;       // random, per item
  std::vector<uint8_t> ciphertext;  // includes the authentication tag
};

Result<SealedEvidence> Seal(const Evidence& evidence, const EvidenceKey& key);
// A different key or altered bytes fail (never garbage): kInvalidArgument
// when the key's fingerprint differs, kCorrupt when authentication fails.
Result<Evidence> Unseal(const SealedEvidence& sealed, const EvidenceKey& key);

}  // namespace bulwark::incident

#include "bulwark/incident/evidence.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "bulwark/core/durable_file.h"
#include "bulwark/core/file.h"
#include "bulwark/core/hex.h"

namespace bulwark::incident {
namespace {

namespace fs = std::filesystem;

// The plaintext is framed so that text, prompt and media travel in one
// box: this tag, then per field a presence byte and a 64-bit little-endian
// length before the bytes.
constexpr char kFrameTag[4] = {'B', 'W', 'E', '1'};

Status InitSodium() {
  static const int rc = sodium_init();
  if (rc < 0) {
    return MakeError(ErrorCode::kInternal, "libsodium failed to initialise");
  }
  return Ok{};
}

void PutField(std::vector<uint8_t>* out, const uint8_t* data, size_t size,
              bool present) {
  out->push_back(present ? 1 : 0);
  for (int i = 0; i < 8; ++i) {
    out->push_back(
        static_cast<uint8_t>(static_cast<uint64_t>(size) >> (8 * i)));
  }
  out->insert(out->end(), data, data + size);
}

// Reads one field at `*pos`; false when the frame is malformed.
bool GetField(std::span<const uint8_t> in, size_t* pos, bool* present,
              std::span<const uint8_t>* bytes) {
  if (in.size() - *pos < 9) return false;
  *present = in[*pos] != 0;
  uint64_t size = 0;
  for (int i = 0; i < 8; ++i) {
    size |= static_cast<uint64_t>(in[*pos + 1 + i]) << (8 * i);
  }
  *pos += 9;
  if (size > in.size() - *pos) return false;
  *bytes = in.subspan(*pos, size);
  *pos += size;
  return true;
}

bool IsInside(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  const fs::path d = fs::weakly_canonical(fs::absolute(dir), ec);
  auto pi = p.begin();
  for (const fs::path& part : d) {
    if (part.empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != part) return false;
    ++pi;
  }
  return true;
}

Result<EvidenceKey> FromText(std::string_view text, const std::string& where) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.size() != 2 * EvidenceKey::kSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     where +
                         " must hold a 32-byte key as 64 hex digits "
                         "(make one with 'bulwark incident make-key')");
  }
  auto bytes = HexDecode(text);
  if (!bytes.ok()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     where + " is not a hex key: " + bytes.error().message);
  }
  auto key = EvidenceKey::FromBytes(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

}  // namespace

EvidenceKey::~EvidenceKey() {
  if (bytes_) sodium_memzero(bytes_->data(), bytes_->size());
}

Result<EvidenceKey> EvidenceKey::FromBytes(std::span<const uint8_t> bytes) {
  auto init = InitSodium();
  if (!init.ok()) return init.error();
  if (bytes.size() != kSize) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "an evidence key is 32 bytes, got " + std::to_string(bytes.size()));
  }
  EvidenceKey key;
  key.bytes_ = std::make_unique<std::array<uint8_t, kSize>>();
  std::memcpy(key.bytes_->data(), bytes.data(), kSize);
  static constexpr char kContext[] = "bulwark evidence key id";
  uint8_t id[8];
  crypto_generichash(id, sizeof id, reinterpret_cast<const uint8_t*>(kContext),
                     sizeof kContext - 1, key.bytes_->data(), kSize);
  key.id_ = HexEncode(id);
  return key;
}

Result<EvidenceKey> EvidenceKey::FromFile(const std::string& path,
                                          const std::string& data_dir) {
  if (IsInside(path, data_dir)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the evidence key file " + path +
                         " is inside the data directory " + data_dir +
                         ": keep the key apart from the data it protects");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     "cannot read the evidence key file " + path + ": " +
                         std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the evidence key file " + path +
                         " may be read by group or others; chmod 600 it");
  }
  auto bytes = ReadFile(path, 1024);
  if (!bytes.ok()) return bytes.error();
  Result<EvidenceKey> key =
      bytes->size() == kSize
          ? FromBytes(*bytes)
          : FromText(
                std::string_view(reinterpret_cast<const char*>(bytes->data()),
                                 bytes->size()),
                "the evidence key file " + path);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

Result<EvidenceKey> EvidenceKey::FromEnv(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    return MakeError(ErrorCode::kNotFound,
                     "the environment variable " + variable +
                         " (the evidence key) is not set");
  }
  return FromText(value, "the environment variable " + variable);
}

Result<std::optional<EvidenceKey>> LoadEvidenceKey(
    const EvidenceOptions& options, const std::string& data_dir) {
  if (!options.keep) return std::optional<EvidenceKey>();
  if (options.key_file.empty() == options.key_env.empty()) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "evidence.keep = true needs an encryption key: set exactly one of "
        "evidence.key_file and evidence.key_env (content is never kept "
        "unencrypted)");
  }
  auto key = options.key_file.empty()
                 ? EvidenceKey::FromEnv(options.key_env)
                 : EvidenceKey::FromFile(options.key_file, data_dir);
  if (!key.ok()) return key.error();
  return std::optional<EvidenceKey>(std::move(*key));
}

Status WriteNewKeyFile(const std::string& path) {
  auto init = InitSodium();
  if (!init.ok()) return init;
  std::array<uint8_t, EvidenceKey::kSize> key;
  randombytes_buf(key.data(), key.size());
  std::string text = HexEncode(key) + "\n";
  sodium_memzero(key.data(), key.size());
  // O_EXCL: an existing key may protect existing evidence; overwriting it
  // would make that evidence unreadable for good.
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    sodium_memzero(text.data(), text.size());
    return MakeError(
        err == EEXIST ? ErrorCode::kInvalidArgument : ErrorCode::kIo,
        err == EEXIST ? path +
                            " already exists; not overwriting "
                            "a key"
                      : "cannot create " + path + ": " + std::strerror(err));
  }
  const bool written = ::write(fd, text.data(), text.size()) ==
                           static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!written) {
    ::unlink(path.c_str());
    return MakeError(ErrorCode::kIo,
                     "cannot write " + path + ": " + std::strerror(err));
  }
  const fs::path parent = fs::absolute(path).parent_path();
  return SyncPath(parent.string());
}

Evidence EvidenceFromItem(const detect::Item& item) {
  return Evidence{item.text, item.prompt, item.image};
}

Result<SealedEvidence> Seal(const Evidence& evidence, const EvidenceKey& key) {
  auto init = InitSodium();
  if (!init.ok()) return init.error();
  std::vector<uint8_t> plain(kFrameTag, kFrameTag + sizeof kFrameTag);
  auto put_text = [&](const std::optional<std::string>& s) {
    PutField(&plain, reinterpret_cast<const uint8_t*>(s ? s->data() : ""),
             s ? s->size() : 0, s.has_value());
  };
  put_text(evidence.text);
  put_text(evidence.prompt);
  PutField(&plain, evidence.media ? evidence.media->data() : nullptr,
           evidence.media ? evidence.media->size() : 0,
           evidence.media.has_value());

  SealedEvidence sealed;
  sealed.key_id = key.id();
  sealed.nonce.resize(crypto_secretbox_NONCEBYTES);
  randombytes_buf(sealed.nonce.data(), sealed.nonce.size());
  sealed.ciphertext.resize(plain.size() + crypto_secretbox_MACBYTES);
  crypto_secretbox_easy(sealed.ciphertext.data(), plain.data(), plain.size(),
                        sealed.nonce.data(), key.data());
  sodium_memzero(plain.data(), plain.size());
  return sealed;
}

Result<Evidence> Unseal(const SealedEvidence& sealed, const EvidenceKey& key) {
  auto init = InitSodium();
  if (!init.ok()) return init.error();
  if (sealed.key_id != key.id()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the evidence was encrypted with key " + sealed.key_id +
                         ", not with the configured key " + key.id());
  }
  if (sealed.nonce.size() != crypto_secretbox_NONCEBYTES ||
      sealed.ciphertext.size() < crypto_secretbox_MACBYTES) {
    return MakeError(ErrorCode::kCorrupt, "the stored evidence is damaged");
  }
  std::vector<uint8_t> plain(sealed.ciphertext.size() -
                             crypto_secretbox_MACBYTES);
  if (crypto_secretbox_open_easy(plain.data(), sealed.ciphertext.data(),
                                 sealed.ciphertext.size(), sealed.nonce.data(),
                                 key.data()) != 0) {
    return MakeError(ErrorCode::kCorrupt,
                     "the stored evidence fails authentication: it was "
                     "altered, or the key is not the one it was sealed with");
  }
  Evidence out;
  size_t pos = sizeof kFrameTag;
  bool ok = plain.size() >= pos &&
            std::memcmp(plain.data(), kFrameTag, sizeof kFrameTag) == 0;
  std::span<const uint8_t> bytes;
  bool present = false;
  auto as_string = [&] {
    return std::string(reinterpret_cast<const char*>(bytes.data()),
                       bytes.size());
  };
  if (ok && (ok = GetField(plain, &pos, &present, &bytes)) && present) {
    out.text = as_string();
  }
  if (ok && (ok = GetField(plain, &pos, &present, &bytes)) && present) {
    out.prompt = as_string();
  }
  if (ok && (ok = GetField(plain, &pos, &present, &bytes)) && present) {
    out.media = std::vector<uint8_t>(bytes.begin(), bytes.end());
  }
  sodium_memzero(plain.data(), plain.size());
  if (!ok || pos != plain.size()) {
    return MakeError(ErrorCode::kCorrupt,
                     "the stored evidence decrypts to a malformed record");
  }
  return out;
}

}  // namespace bulwark::incident

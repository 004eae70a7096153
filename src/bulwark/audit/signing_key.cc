#include "bulwark/audit/signing_key.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "bulwark/audit/sha256.h"
#include "bulwark/core/file.h"

namespace bulwark::audit {
namespace {

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* k) {
  return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

// OpenSSL's queued error text, for messages about keys it refused.
std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<std::string> KeyId(EVP_PKEY* key) {
  std::array<uint8_t, 32> raw{};
  size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1 ||
      size != raw.size()) {
    return MakeError(ErrorCode::kInternal,
                     "cannot read the public key: " + OpenSslError());
  }
  return Sha256Hex({reinterpret_cast<const char*>(raw.data()), size})
      .substr(0, 16);
}

Result<std::string> ReadPem(const std::string& path) {
  // Key files are a few hundred bytes; anything large is not a key.
  auto bytes = ReadFile(path, 64 * 1024);
  if (!bytes.ok()) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

Status CheckEd25519(EVP_PKEY* key, const std::string& path) {
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return MakeError(ErrorCode::kUnsupported,
                     path +
                         " is not an Ed25519 key (make one with "
                         "'bulwark audit make-key')");
  }
  return Ok{};
}

// Serialises `key` with `write` into a string.
template <typename Write>
Result<std::string> ToPem(EVP_PKEY* key, Write write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || write(bio.get(), key) != 1) {
    return MakeError(ErrorCode::kInternal,
                     "cannot encode the key: " + OpenSslError());
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Creates `path` (never overwriting) with `mode`, writes and fsyncs it.
Status WriteNewFile(const std::string& path, const std::string& body,
                    mode_t mode) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return MakeError(
        errno == EEXIST ? ErrorCode::kInvalidArgument : ErrorCode::kIo,
        "cannot create " + path + ": " + std::strerror(errno));
  }
  // The umask may have narrowed `mode`; a private key must be exactly 0600
  // and the public key readable, whatever the umask.
  bool ok = fchmod(fd, mode) == 0;
  size_t done = 0;
  while (ok && done < body.size()) {
    const ssize_t n = write(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  const int saved = errno;
  close(fd);
  if (!ok) {
    std::remove(path.c_str());
    return MakeError(ErrorCode::kIo,
                     "cannot write " + path + ": " + std::strerror(saved));
  }
  return Ok{};
}

}  // namespace

Result<PublicKey> PublicKey::FromPemFile(const std::string& path) {
  auto pem = ReadPem(path);
  if (!pem.ok()) return pem.error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    // A private key file also gives the public key.
    ERR_clear_error();
    auto signing = SigningKey::FromPemFile(path);
    if (!signing.ok()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       path + " holds no PEM public or private key");
    }
    return signing->public_key();
  }
  auto owned = Own(key);
  auto ed = CheckEd25519(key, path);
  if (!ed.ok()) return ed.error();
  auto id = KeyId(key);
  if (!id.ok()) return id.error();
  return PublicKey(std::move(owned), std::move(*id));
}

bool PublicKey::Verify(std::string_view message,
                       std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  // Ed25519 hashes internally: no digest is given, and the whole message is
  // passed in one call (the one-shot API is the only one it supports).
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) ==
          1 &&
      EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return ok;
}

Result<SigningKey> SigningKey::FromPemFile(const std::string& path) {
  auto pem = ReadPem(path);
  if (!pem.ok()) return pem.error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path + " holds no PEM private key: " + OpenSslError());
  }
  auto owned = Own(key);
  auto ed = CheckEd25519(key, path);
  if (!ed.ok()) return ed.error();
  auto id = KeyId(key);
  if (!id.ok()) return id.error();
  return SigningKey(owned, PublicKey(owned, std::move(*id)));
}

Result<std::string> SigningKey::Sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  std::string sig(64, '\0');
  size_t size = sig.size();
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &size,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return MakeError(ErrorCode::kInternal,
                     "cannot sign an audit checkpoint: " + OpenSslError());
  }
  sig.resize(size);
  return sig;
}

Result<std::string> GenerateKeyFiles(const std::string& path) {
  const std::string pub_path = path + ".pub";
  for (const std::string* p : {&path, &pub_path}) {
    std::error_code ec;
    if (std::filesystem::exists(*p, ec)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       *p + " already exists; not overwriting a key");
    }
  }
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) {
    return MakeError(ErrorCode::kInternal,
                     "cannot generate an Ed25519 key: " + OpenSslError());
  }
  auto key = Own(raw);
  auto private_pem = ToPem(key.get(), [](BIO* b, EVP_PKEY* k) {
    return PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr,
                                    nullptr);
  });
  if (!private_pem.ok()) return private_pem.error();
  auto public_pem = ToPem(key.get(), [](BIO* b, EVP_PKEY* k) {
    return PEM_write_bio_PUBKEY(b, k);
  });
  if (!public_pem.ok()) return public_pem.error();
  auto id = KeyId(key.get());
  if (!id.ok()) return id.error();

  auto s = WriteNewFile(path, *private_pem, 0600);
  if (!s.ok()) return s.error();
  s = WriteNewFile(pub_path, *public_pem, 0644);
  if (!s.ok()) {
    std::remove(path.c_str());
    return s.error();
  }
  return *id;
}

}  // namespace bulwark::audit

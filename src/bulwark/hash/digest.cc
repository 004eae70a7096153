#include "bulwark/hash/digest.h"

#include <openssl/evp.h>

#include "bulwark/core/hex.h"

namespace bulwark::hash {

struct Digester::State {
  EVP_MD_CTX* ctx = nullptr;
  bool failed = false;
  ~State() { EVP_MD_CTX_free(ctx); }
};

const char* DigestName(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return "md5";
    case DigestAlgorithm::kSha1:
      return "sha1";
    case DigestAlgorithm::kSha256:
      return "sha256";
  }
  return "unknown";
}

size_t DigestSize(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return 16;
    case DigestAlgorithm::kSha1:
      return 20;
    case DigestAlgorithm::kSha256:
      return 32;
  }
  return 0;
}

Result<Digester> Digester::Create(DigestAlgorithm algorithm) {
  const EVP_MD* md = nullptr;
  switch (algorithm) {
    case DigestAlgorithm::kMd5:
      md = EVP_md5();
      break;
    case DigestAlgorithm::kSha1:
      md = EVP_sha1();
      break;
    case DigestAlgorithm::kSha256:
      md = EVP_sha256();
      break;
  }
  auto state = std::make_unique<State>();
  state->ctx = EVP_MD_CTX_new();
  if (md == nullptr || state->ctx == nullptr ||
      EVP_DigestInit_ex(state->ctx, md, nullptr) != 1) {
    return MakeError(ErrorCode::kInternal,
                     std::string("OpenSSL cannot start a ") +
                         DigestName(algorithm) + " digest");
  }
  return Digester(std::move(state));
}

Digester::Digester(std::unique_ptr<State> state) : state_(std::move(state)) {}
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;
Digester::~Digester() = default;

void Digester::Update(std::span<const uint8_t> bytes) {
  if (!bytes.empty() &&
      EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1) {
    state_->failed = true;
  }
}

Result<std::string> Digester::FinishHex() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (state_->failed || EVP_DigestFinal_ex(state_->ctx, out, &len) != 1) {
    return MakeError(ErrorCode::kInternal, "OpenSSL digest failed");
  }
  return HexEncode(std::span<const uint8_t>(out, len));
}

Result<std::string> DigestHex(DigestAlgorithm algorithm,
                              std::span<const uint8_t> bytes) {
  auto d = Digester::Create(algorithm);
  if (!d.ok()) return d.error();
  d->Update(bytes);
  return d->FinishHex();
}

}  // namespace bulwark::hash

#include "bulwark/provenance/pem_signer.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "bulwark/core/file.h"
#include "bulwark/provenance/openssl_error.h"

namespace bulwark::provenance {
namespace {

// PEM files hold a key or a few certificates; a megabyte is far beyond any.
constexpr uint64_t kMaxPemBytes = 1 << 20;
constexpr size_t kEs256ScalarSize = 32;

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

Bio MemoryBio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
             BIO_free);
}

bool IsSelfSigned(X509* cert) {
  return X509_check_issued(cert, cert) == X509_V_OK;
}

Result<std::vector<X509Ptr>> ReadCertificates(std::string_view pem) {
  Bio bio = MemoryBio(pem);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert, X509_free);
  }
  // The loop ends on "no more PEM blocks", which OpenSSL queues as an error.
  ERR_clear_error();
  if (certs.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the certificate file holds no PEM certificate");
  }
  return certs;
}

Status CheckKeySuits(EVP_PKEY* key, SigningAlgorithm alg) {
  const int id = EVP_PKEY_get_base_id(key);
  bool suits = false;
  switch (alg) {
    case SigningAlgorithm::kEs256: {
      char group[64] = {};
      size_t len = 0;
      suits = id == EVP_PKEY_EC &&
              EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group,
                                             &len) == 1 &&
              std::strcmp(group, "prime256v1") == 0;
      break;
    }
    case SigningAlgorithm::kPs256:
      suits = id == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048;
      break;
    case SigningAlgorithm::kEd25519:
      suits = id == EVP_PKEY_ED25519;
      break;
  }
  if (suits) return Ok{};
  static constexpr const char* kNeeds[] = {
      "an EC P-256 key", "an RSA key of 2048 bits or more", "an Ed25519 key"};
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(SigningAlgorithmName(alg)) + " needs " +
                       kNeeds[static_cast<int>(alg)] +
                       "; the private key is not one");
}

// ECDSA signatures come from OpenSSL as DER SEQUENCE{r, s}; COSE wants the
// two integers as fixed-size big-endian halves.
Result<std::vector<uint8_t>> DerToRawEcdsa(std::span<const uint8_t> der) {
  const uint8_t* p = der.data();
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())),
      ECDSA_SIG_free);
  if (!sig) {
    return MakeError(ErrorCode::kInternal,
                     "cannot decode the ECDSA signature: " + OpenSslError());
  }
  std::vector<uint8_t> raw(2 * kEs256ScalarSize);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), kEs256ScalarSize) <
          0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + kEs256ScalarSize,
                   kEs256ScalarSize) < 0) {
    return MakeError(ErrorCode::kInternal, "ECDSA signature out of range");
  }
  return raw;
}

}  // namespace

struct PemSigner::Key {
  explicit Key(EVP_PKEY* k) : pkey(k) {}
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  EVP_PKEY* pkey;
};

PemSigner::PemSigner(SigningAlgorithm alg, std::unique_ptr<Key> key,
                     std::vector<std::vector<uint8_t>> chain)
    : alg_(alg), key_(std::move(key)), chain_(std::move(chain)) {}

PemSigner::~PemSigner() = default;

Result<std::unique_ptr<PemSigner>> PemSigner::FromPem(
    std::string_view chain_pem, std::string_view key_pem,
    SigningAlgorithm alg) {
  auto certs = ReadCertificates(chain_pem);
  if (!certs.ok()) return certs.error();
  Bio key_bio = MemoryBio(key_pem);
  // A null passphrase callback with no user data makes an encrypted key
  // fail instead of prompting on the terminal.
  auto key = std::make_unique<Key>(PEM_read_bio_PrivateKey(
      key_bio.get(), nullptr, [](char*, int, int, void*) { return 0; },
      nullptr));
  if (key->pkey == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the key file holds no unencrypted PEM private key (" +
                         OpenSslError() + ")");
  }
  Status suits = CheckKeySuits(key->pkey, alg);
  if (!suits.ok()) return suits.error();
  if (X509_check_private_key(certs->front().get(), key->pkey) != 1) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInvalidArgument,
                     "the private key does not belong to the first "
                     "certificate of the chain");
  }
  std::vector<std::vector<uint8_t>> chain;
  for (size_t i = 0; i < certs->size(); ++i) {
    X509* cert = (*certs)[i].get();
    if (i > 0 && i + 1 == certs->size() && IsSelfSigned(cert)) break;
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    if (len <= 0) {
      return MakeError(ErrorCode::kInternal,
                       "cannot encode a certificate: " + OpenSslError());
    }
    chain.emplace_back(der, der + len);
    OPENSSL_free(der);
  }
  return std::unique_ptr<PemSigner>(
      new PemSigner(alg, std::move(key), std::move(chain)));
}

Result<std::unique_ptr<PemSigner>> PemSigner::FromFiles(
    const std::string& chain_path, const std::string& key_path,
    SigningAlgorithm alg) {
  // ReadFile's errors say what went wrong, not with which file.
  auto named = [](const std::string& path, Error e) {
    e.message = path + ": " + e.message;
    return e;
  };
  auto chain = ReadFile(chain_path, kMaxPemBytes);
  if (!chain.ok()) return named(chain_path, chain.error());
  auto key = ReadFile(key_path, kMaxPemBytes);
  if (!key.ok()) return named(key_path, key.error());
  auto signer = FromPem(
      std::string_view(reinterpret_cast<const char*>(chain->data()),
                       chain->size()),
      std::string_view(reinterpret_cast<const char*>(key->data()), key->size()),
      alg);
  if (!signer.ok()) {
    Error e = signer.error();
    e.message = chain_path + ", " + key_path + ": " + e.message;
    return e;
  }
  return signer;
}

Result<std::vector<uint8_t>> PemSigner::Sign(
    std::span<const uint8_t> to_be_signed) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;
  // Ed25519 hashes internally and takes no digest.
  const EVP_MD* md =
      alg_ == SigningAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  bool ok =
      ctx && EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key_->pkey) == 1;
  if (ok && alg_ == SigningAlgorithm::kPs256) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
  }
  size_t size = 0;
  ok = ok && EVP_DigestSign(ctx.get(), nullptr, &size, to_be_signed.data(),
                            to_be_signed.size()) == 1;
  std::vector<uint8_t> signature(size);
  ok = ok && EVP_DigestSign(ctx.get(), signature.data(), &size,
                            to_be_signed.data(), to_be_signed.size()) == 1;
  if (!ok) {
    return MakeError(ErrorCode::kInternal, std::string("cannot sign with ") +
                                               SigningAlgorithmName(alg_) +
                                               ": " + OpenSslError());
  }
  signature.resize(size);
  if (alg_ == SigningAlgorithm::kEs256) return DerToRawEcdsa(signature);
  return signature;
}

}  // namespace bulwark::provenance

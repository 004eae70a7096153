#include "bulwark/provenance/test_ca.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "bulwark/core/durable_file.h"
#include "bulwark/provenance/openssl_error.h"

namespace bulwark::provenance {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;

Error OpenSslFailure(const std::string& what) {
  return MakeError(ErrorCode::kInternal,
                   "cannot " + what + ": " + OpenSslError());
}

Key NewKey(SigningAlgorithm alg) {
  switch (alg) {
    case SigningAlgorithm::kEs256:
      return Key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    case SigningAlgorithm::kPs256:
      return Key(EVP_RSA_gen(2048), EVP_PKEY_free);
    case SigningAlgorithm::kEd25519:
      return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
  }
  return Key(nullptr, EVP_PKEY_free);
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

struct CertSpec {
  const char* common_name;
  long valid_seconds;
  bool is_ca;
};

// A v3 certificate for `subject_key`, issued by `issuer` (itself when null)
// and signed with `issuer_key`.
Result<Cert> Issue(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                   EVP_PKEY* issuer_key) {
  Cert cert(X509_new(), X509_free);
  if (!cert) return OpenSslFailure("create a certificate");
  X509* c = cert.get();
  // A random positive 64-bit serial: unique enough for throwaway CAs.
  unsigned char serial[8];
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(nullptr, BN_free);
  bool ok = RAND_bytes(serial, sizeof serial) == 1;
  serial[0] &= 0x7f;
  bn.reset(BN_bin2bn(serial, sizeof serial, nullptr));
  ok = ok && bn && X509_set_version(c, X509_VERSION_3) == 1 &&
       BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(c)) != nullptr &&
       X509_gmtime_adj(X509_getm_notBefore(c), -kHour) != nullptr &&
       X509_gmtime_adj(X509_getm_notAfter(c), spec.valid_seconds) != nullptr &&
       X509_set_pubkey(c, subject_key) == 1;
  X509_NAME* name = X509_get_subject_name(c);
  ok = ok &&
       X509_NAME_add_entry_by_txt(
           name, "CN", MBSTRING_UTF8,
           reinterpret_cast<const unsigned char*>(spec.common_name), -1, -1,
           0) == 1 &&
       X509_NAME_add_entry_by_txt(
           name, "O", MBSTRING_UTF8,
           reinterpret_cast<const unsigned char*>("Bulwark test CA (not for "
                                                  "production)"),
           -1, -1, 0) == 1;
  X509* signer_cert = issuer != nullptr ? issuer : c;
  ok = ok && X509_set_issuer_name(c, X509_get_subject_name(signer_cert)) == 1;
  if (spec.is_ca) {
    ok = ok &&
         AddExtension(c, signer_cert, NID_basic_constraints,
                      "critical,CA:TRUE") &&
         AddExtension(c, signer_cert, NID_key_usage,
                      "critical,keyCertSign,cRLSign") &&
         AddExtension(c, signer_cert, NID_subject_key_identifier, "hash");
  } else {
    ok = ok &&
         AddExtension(c, signer_cert, NID_basic_constraints,
                      "critical,CA:FALSE") &&
         AddExtension(c, signer_cert, NID_key_usage,
                      "critical,digitalSignature") &&
         // emailProtection is what most C2PA validators know;
         // 1.3.6.1.5.5.7.3.36 is id-kp-documentSigning (RFC 9336).
         AddExtension(c, signer_cert, NID_ext_key_usage,
                      "emailProtection,1.3.6.1.5.5.7.3.36") &&
         AddExtension(c, signer_cert, NID_subject_key_identifier, "hash") &&
         AddExtension(c, signer_cert, NID_authority_key_identifier,
                      "keyid:always");
  }
  ok = ok && X509_sign(c, issuer_key, EVP_sha256()) > 0;
  if (!ok)
    return OpenSslFailure("issue the certificate " +
                          std::string(spec.common_name));
  return cert;
}

template <typename Write>
Result<std::string> ToPem(Write write) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || !write(bio.get())) return OpenSslFailure("encode PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

Result<TestCa> MakeTestCa(SigningAlgorithm leaf_alg) {
  Key root_key = NewKey(SigningAlgorithm::kEs256);
  Key leaf_key = NewKey(leaf_alg);
  if (!root_key || !leaf_key) return OpenSslFailure("generate a key");
  auto root = Issue({"Bulwark Test Root", 3650 * kDay, true}, root_key.get(),
                    nullptr, root_key.get());
  if (!root.ok()) return root.error();
  auto leaf = Issue({"Bulwark Test Signer", 365 * kDay, false}, leaf_key.get(),
                    root->get(), root_key.get());
  if (!leaf.ok()) return leaf.error();

  TestCa ca;
  auto root_pem =
      ToPem([&](BIO* b) { return PEM_write_bio_X509(b, root->get()) == 1; });
  auto chain_pem =
      ToPem([&](BIO* b) { return PEM_write_bio_X509(b, leaf->get()) == 1; });
  auto key_pem = ToPem([&](BIO* b) {
    return PEM_write_bio_PKCS8PrivateKey(b, leaf_key.get(), nullptr, nullptr, 0,
                                         nullptr, nullptr) == 1;
  });
  if (!root_pem.ok()) return root_pem.error();
  if (!chain_pem.ok()) return chain_pem.error();
  if (!key_pem.ok()) return key_pem.error();
  ca.root_pem = std::move(*root_pem);
  ca.chain_pem = std::move(*chain_pem);
  ca.leaf_key_pem = std::move(*key_pem);
  return ca;
}

Status WriteTestCa(const TestCa& ca, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + dir + ": " + ec.message());
  }
  const std::string key_path = dir + "/leaf.key";
  if (std::filesystem::exists(key_path, ec)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     key_path + " exists; refusing to overwrite a key");
  }
  Status s = WriteFileDurably(dir + "/root.pem", ca.root_pem);
  if (s.ok()) s = WriteFileDurably(dir + "/chain.pem", ca.chain_pem);
  if (s.ok()) s = WriteFileDurably(key_path, ca.leaf_key_pem, 0600);
  return s;
}

}  // namespace bulwark::provenance

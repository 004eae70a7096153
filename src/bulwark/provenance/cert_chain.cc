#include "bulwark/provenance/cert_chain.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <array>
#include <string_view>

namespace bulwark::provenance {
namespace {

// Extended key usages a C2PA claim signer may carry (C2PA 2.x, "Certificate
// profile"): emailProtection, timeStamping, OCSPSigning, documentSigning
// (RFC 9336) and the C2PA claim-signing purpose.
constexpr std::array<std::string_view, 5> kSignerPurposes = {
    "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
    "1.3.6.1.5.5.7.3.36", "1.3.6.1.4.1.62558.2.1"};
constexpr std::string_view kAnyExtendedKeyUsage = "2.5.29.37.0";

struct StoreDeleter {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
struct StackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};
struct EkuDeleter {
  void operator()(EXTENDED_KEY_USAGE* e) const { EXTENDED_KEY_USAGE_free(e); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string Oid(const ASN1_OBJECT* object) {
  char text[128];
  const int n = OBJ_obj2txt(text, sizeof text, object, /*no_name=*/1);
  return n > 0 && n < static_cast<int>(sizeof text) ? std::string(text, n)
                                                    : std::string();
}

// Whether `cert` is within its validity period now.
bool InsideValidity(X509* cert) {
  return X509_cmp_current_time(X509_get0_notBefore(cert)) < 0 &&
         X509_cmp_current_time(X509_get0_notAfter(cert)) > 0;
}

}  // namespace

void X509Deleter::operator()(X509* cert) const { X509_free(cert); }

Result<std::vector<X509Ptr>> ParseCertificates(
    const std::vector<std::span<const uint8_t>>& der) {
  if (der.empty()) {
    return MakeError(ErrorCode::kCorrupt,
                     "claim signature carries no certificate");
  }
  std::vector<X509Ptr> certs;
  for (size_t i = 0; i < der.size(); ++i) {
    const unsigned char* p = der[i].data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der[i].size())));
    if (!cert || p != der[i].data() + der[i].size()) {
      ERR_clear_error();
      return MakeError(ErrorCode::kCorrupt,
                       "certificate " + std::to_string(i) +
                           " of the claim signature's chain is not valid DER");
    }
    certs.push_back(std::move(cert));
  }
  return certs;
}

Result<std::vector<X509Ptr>> ParsePemCertificates(const std::string& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return MakeError(ErrorCode::kInternal, "out of memory");
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  // PEM_read_bio_X509 ends with "no start line" at the end of the text;
  // anything else is a block that did not parse.
  const unsigned long last = ERR_peek_last_error();
  ERR_clear_error();
  if (certs.empty() ||
      (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     certs.empty() ? "trust anchors contain no PEM certificate"
                                   : "trust anchors contain a PEM certificate "
                                     "that does not parse");
  }
  return certs;
}

Status CheckSignerProfile(X509* signer) {
  auto invalid = [](std::string what) {
    return MakeError(ErrorCode::kUnsupported,
                     "signing certificate " + std::move(what));
  };
  if (X509_get_version(signer) != X509_VERSION_3) {
    return invalid("is not X.509 version 3");
  }
  // X509_get_extension_flags caches the parsed extensions; EXFLAG_INVALID
  // means one did not parse.
  const uint32_t flags = X509_get_extension_flags(signer);
  if (flags & EXFLAG_INVALID) return invalid("has a malformed extension");
  if (flags & EXFLAG_CA) return invalid("is a CA certificate");
  const int ku = X509_get_ext_by_NID(signer, NID_key_usage, -1);
  if (ku < 0) return invalid("has no key usage extension");
  if (!X509_EXTENSION_get_critical(X509_get_ext(signer, ku))) {
    return invalid("has a key usage extension that is not critical");
  }
  if (!(X509_get_key_usage(signer) & KU_DIGITAL_SIGNATURE)) {
    return invalid("does not allow digitalSignature");
  }
  std::unique_ptr<EXTENDED_KEY_USAGE, EkuDeleter> eku(
      static_cast<EXTENDED_KEY_USAGE*>(
          X509_get_ext_d2i(signer, NID_ext_key_usage, nullptr, nullptr)));
  if (!eku) return invalid("has no extended key usage extension");
  bool allowed = false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    const std::string oid = Oid(sk_ASN1_OBJECT_value(eku.get(), i));
    if (oid == kAnyExtendedKeyUsage) {
      return invalid("allows anyExtendedKeyUsage");
    }
    for (std::string_view purpose : kSignerPurposes) allowed |= oid == purpose;
  }
  if (!allowed) {
    return invalid(
        "has no extended key usage C2PA accepts (emailProtection, "
        "documentSigning, timeStamping, OCSPSigning or C2PA claim signing)");
  }
  return Ok{};
}

ChainCheck CheckChainConsistent(const std::vector<X509Ptr>& chain) {
  using Outcome = ChainCheck::Outcome;
  for (size_t i = 0; i < chain.size(); ++i) {
    X509* cert = chain[i].get();
    if (!InsideValidity(cert)) {
      return {Outcome::kExpired, "certificate " + std::to_string(i) + " (" +
                                     SubjectName(cert) +
                                     ") is outside its validity period"};
    }
    if (i + 1 == chain.size()) break;
    X509* issuer = chain[i + 1].get();
    if (X509_check_issued(issuer, cert) != X509_V_OK ||
        X509_verify(cert, X509_get0_pubkey(issuer)) != 1) {
      ERR_clear_error();
      return {Outcome::kBroken, "certificate " + std::to_string(i) + " (" +
                                    SubjectName(cert) +
                                    ") is not issued and signed by the next "
                                    "certificate in the chain (" +
                                    SubjectName(issuer) + ")"};
    }
  }
  return {};
}

ChainCheck VerifyChainToAnchors(const std::vector<X509Ptr>& chain,
                                const std::vector<X509Ptr>& anchors) {
  using Outcome = ChainCheck::Outcome;
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) {
    return {Outcome::kUntrusted, "out of memory while checking the chain"};
  }
  for (const X509Ptr& anchor : anchors)
    X509_STORE_add_cert(store.get(), anchor.get());
  for (size_t i = 1; i < chain.size(); ++i) {
    sk_X509_push(untrusted.get(), chain[i].get());
  }
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(),
                          untrusted.get()) != 1) {
    ERR_clear_error();
    return {Outcome::kUntrusted, "out of memory while checking the chain"};
  }
  if (X509_verify_cert(ctx.get()) == 1) return {};
  const int error = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  const std::string why = X509_verify_cert_error_string(error);
  if (error == X509_V_ERR_CERT_HAS_EXPIRED ||
      error == X509_V_ERR_CERT_NOT_YET_VALID) {
    return {Outcome::kExpired, "signing certificate chain: " + why};
  }
  return {Outcome::kUntrusted,
          "signing certificate does not chain to a trust anchor (" + why + ")"};
}

std::string SubjectName(X509* cert) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0,
                     XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace bulwark::provenance

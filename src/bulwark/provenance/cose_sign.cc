#include "bulwark/provenance/cose_sign.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "bulwark/provenance/cbor_writer.h"

namespace bulwark::provenance {
namespace {

constexpr uint64_t kCoseSign1Tag = 18;
constexpr int64_t kHeaderAlg = 1;
constexpr int64_t kHeaderX5Chain = 33;

Result<std::vector<uint8_t>> ProtectedHeader(const Signer& signer) {
  const auto& chain = signer.certificate_chain_der();
  if (chain.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the signer has no certificate");
  }
  // x5chain is a single bstr for one certificate, an array for several
  // (RFC 9360 §2).
  CborValue::Array certs;
  for (const auto& der : chain) certs.push_back(CborValue::Bytes(der));
  CborValue x5chain = certs.size() == 1
                          ? std::move(certs.front())
                          : CborValue::MakeArray(std::move(certs));
  return EncodeCbor(CborValue::MakeMap(
      {{CborValue::Int(kHeaderAlg),
        CborValue::Int(CoseAlgorithmId(signer.alg()))},
       {CborValue::Int(kHeaderX5Chain), std::move(x5chain)}}));
}

// Sig_structure (RFC 9052 §4.4) for a detached payload, no external AAD.
Result<std::vector<uint8_t>> ToBeSigned(
    std::span<const uint8_t> protected_header, std::span<const uint8_t> claim) {
  return EncodeCbor(CborValue::MakeArray(
      {CborValue::Text("Signature1"), CborValue::Bytes(protected_header),
       CborValue::Bytes({}), CborValue::Bytes(claim)}));
}

Result<std::vector<uint8_t>> Assemble(std::span<const uint8_t> protected_header,
                                      std::span<const uint8_t> signature) {
  return EncodeCbor(CborValue::Tag(
      kCoseSign1Tag,
      CborValue::MakeArray({CborValue::Bytes(protected_header),
                            CborValue::MakeMap({}), CborValue::MakeNull(),
                            CborValue::Bytes(signature)})));
}

}  // namespace

Result<size_t> SignatureSize(const Signer& signer) {
  switch (signer.alg()) {
    case SigningAlgorithm::kEs256:
    case SigningAlgorithm::kEd25519:
      return size_t{64};
    case SigningAlgorithm::kPs256:
      break;
  }
  const auto& chain = signer.certificate_chain_der();
  if (chain.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the signer has no certificate");
  }
  const uint8_t* p = chain.front().data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(chain.front().size())),
      X509_free);
  EVP_PKEY* key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the signing certificate does not hold an RSA key, as "
                     "PS256 needs");
  }
  return static_cast<size_t>(EVP_PKEY_get_size(key));
}

Result<size_t> CoseSign1Size(const Signer& signer) {
  auto header = ProtectedHeader(signer);
  if (!header.ok()) return header.error();
  auto size = SignatureSize(signer);
  if (!size.ok()) return size.error();
  auto cose = Assemble(*header, std::vector<uint8_t>(*size));
  if (!cose.ok()) return cose.error();
  return cose->size();
}

Result<std::vector<uint8_t>> CoseSign1(const Signer& signer,
                                       std::span<const uint8_t> claim) {
  auto header = ProtectedHeader(signer);
  if (!header.ok()) return header.error();
  auto size = SignatureSize(signer);
  if (!size.ok()) return size.error();
  auto tbs = ToBeSigned(*header, claim);
  if (!tbs.ok()) return tbs.error();
  auto signature = signer.Sign(*tbs);
  if (!signature.ok()) return signature.error();
  if (signature->size() != *size) {
    return MakeError(
        ErrorCode::kInternal,
        "the signer returned a " + std::to_string(signature->size()) +
            "-byte signature; " + SigningAlgorithmName(signer.alg()) +
            " with this certificate gives " + std::to_string(*size));
  }
  return Assemble(*header, *signature);
}

}  // namespace bulwark::provenance

#include "bulwark/provenance/cose_verify.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bulwark/provenance/cbor_reader.h"

namespace bulwark::provenance {
namespace {

constexpr int64_t kHeaderAlg = 1;
constexpr int64_t kHeaderX5Chain = 33;
constexpr uint64_t kTagCoseSign1 = 18;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

Error Corrupt(std::string message) {
  return MakeError(ErrorCode::kCorrupt, std::move(message));
}

// Appends a CBOR head (major type and argument) in its shortest form, as
// the deterministic encoding of the Sig_structure needs.
void AppendHead(std::vector<uint8_t>& out, int major, uint64_t arg) {
  const uint8_t type = static_cast<uint8_t>(major << 5);
  if (arg < 24) {
    out.push_back(type | static_cast<uint8_t>(arg));
    return;
  }
  int bytes = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffff ? 4 : 8;
  out.push_back(type | static_cast<uint8_t>(bytes == 1   ? 24
                                            : bytes == 2 ? 25
                                            : bytes == 4 ? 26
                                                         : 27));
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<uint8_t>(arg >> (8 * i)));
  }
}

void AppendBytes(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  AppendHead(out, 2, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// Sig_structure = ["Signature1", protected, external_aad = h'', payload].
std::vector<uint8_t> SigStructure(std::span<const uint8_t> protected_header,
                                  std::span<const uint8_t> payload) {
  static constexpr std::string_view kContext = "Signature1";
  std::vector<uint8_t> out;
  out.reserve(32 + protected_header.size() + payload.size());
  AppendHead(out, 4, 4);
  AppendHead(out, 3, kContext.size());
  out.insert(out.end(), kContext.begin(), kContext.end());
  AppendBytes(out, protected_header);
  AppendBytes(out, {});
  AppendBytes(out, payload);
  return out;
}

// x5chain is one certificate as a byte string or several as an array.
Status ReadX5Chain(const CborItem& item,
                   std::vector<std::span<const uint8_t>>& out) {
  if (item.IsBytes()) {
    out.push_back(item.bytes);
    return Ok{};
  }
  if (!item.IsArray() || item.children.empty()) {
    return Corrupt(
        "claim signature's x5chain is neither a certificate nor a "
        "list of them");
  }
  for (const CborItem& cert : item.children) {
    if (!cert.IsBytes()) {
      return Corrupt("claim signature's x5chain holds a non-byte-string");
    }
    out.push_back(cert.bytes);
  }
  return Ok{};
}

bool KnownAlgorithm(int64_t alg) {
  switch (static_cast<CoseAlgorithm>(alg)) {
    case CoseAlgorithm::kEs256:
    case CoseAlgorithm::kEs384:
    case CoseAlgorithm::kEs512:
    case CoseAlgorithm::kPs256:
    case CoseAlgorithm::kPs384:
    case CoseAlgorithm::kPs512:
    case CoseAlgorithm::kEdDsa:
      return true;
  }
  return false;
}

const EVP_MD* Digest(CoseAlgorithm alg) {
  switch (alg) {
    case CoseAlgorithm::kEs256:
    case CoseAlgorithm::kPs256:
      return EVP_sha256();
    case CoseAlgorithm::kEs384:
    case CoseAlgorithm::kPs384:
      return EVP_sha384();
    case CoseAlgorithm::kEs512:
    case CoseAlgorithm::kPs512:
      return EVP_sha512();
    case CoseAlgorithm::kEdDsa:
      return nullptr;  // Ed25519 hashes internally
  }
  return nullptr;
}

// The EC curve size in bits each ECDSA algorithm requires.
int EcBits(CoseAlgorithm alg) {
  return alg == CoseAlgorithm::kEs256   ? 256
         : alg == CoseAlgorithm::kEs384 ? 384
                                        : 521;
}

// COSE's r || s (each the curve's byte length) as the DER OpenSSL verifies.
Result<std::vector<uint8_t>> EcdsaDer(std::span<const uint8_t> raw, int bits) {
  const size_t half = static_cast<size_t>((bits + 7) / 8);
  if (raw.size() != 2 * half) {
    return Corrupt("ECDSA signature is " + std::to_string(raw.size()) +
                   " bytes, not " + std::to_string(2 * half));
  }
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return MakeError(ErrorCode::kInternal, "out of memory");
  }
  const int n = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (n <= 0) return MakeError(ErrorCode::kInternal, "out of memory");
  std::vector<uint8_t> der(static_cast<size_t>(n));
  uint8_t* p = der.data();
  i2d_ECDSA_SIG(sig.get(), &p);
  return der;
}

}  // namespace

const char* CoseAlgorithmName(CoseAlgorithm alg) {
  switch (alg) {
    case CoseAlgorithm::kEs256:
      return "ES256";
    case CoseAlgorithm::kEs384:
      return "ES384";
    case CoseAlgorithm::kEs512:
      return "ES512";
    case CoseAlgorithm::kPs256:
      return "PS256";
    case CoseAlgorithm::kPs384:
      return "PS384";
    case CoseAlgorithm::kPs512:
      return "PS512";
    case CoseAlgorithm::kEdDsa:
      return "Ed25519";
  }
  return "unknown";
}

Result<CoseSign1> ReadCoseSign1(std::span<const uint8_t> cbor) {
  auto parsed = ReadCbor(cbor);
  if (!parsed.ok()) {
    return Corrupt("claim signature is not valid CBOR: " +
                   parsed.error().message);
  }
  const CborItem* top = &*parsed;
  if (top->type == CborItem::Type::kTag) {
    if (top->value != kTagCoseSign1) {
      return Corrupt("claim signature has CBOR tag " +
                     std::to_string(top->value) + ", not COSE_Sign1 (18)");
    }
    top = &top->children[0];
  }
  if (!top->IsArray() || top->children.size() != 4 ||
      !top->children[0].IsBytes() || !top->children[1].IsMap() ||
      !top->children[3].IsBytes()) {
    return Corrupt("claim signature is not a COSE_Sign1 structure");
  }
  CoseSign1 sign1;
  sign1.protected_header = top->children[0].bytes;
  sign1.signature = top->children[3].bytes;
  auto protected_map = ReadCbor(sign1.protected_header);
  if (!protected_map.ok() || !protected_map->IsMap()) {
    return Corrupt("claim signature's protected header is not a CBOR map");
  }
  const CborItem* alg = protected_map->Find(kHeaderAlg);
  if (!alg || (alg->type != CborItem::Type::kNegative &&
               alg->type != CborItem::Type::kUnsigned)) {
    return Corrupt("claim signature's protected header names no algorithm");
  }
  // Every algorithm C2PA allows is a small negative integer; anything
  // larger in magnitude is unknown, and keeping it small keeps the
  // conversion to int64_t exact.
  const bool small = alg->value < 1024;
  const int64_t alg_id = !small ? INT64_MIN
                         : alg->type == CborItem::Type::kNegative
                             ? -1 - static_cast<int64_t>(alg->value)
                             : static_cast<int64_t>(alg->value);
  if (!small || !KnownAlgorithm(alg_id)) {
    return MakeError(ErrorCode::kUnsupported,
                     "claim signature uses COSE algorithm " +
                         (small ? std::to_string(alg_id) : std::string("?")) +
                         ", not one C2PA allows (ES256/384/512, PS256/384/512, "
                         "Ed25519)");
  }
  sign1.alg = static_cast<CoseAlgorithm>(alg_id);
  // C2PA 2.x puts x5chain in the protected header; 1.x signers put it in
  // the unprotected one.
  const CborItem* chain = protected_map->Find(kHeaderX5Chain);
  if (!chain) chain = top->children[1].Find(kHeaderX5Chain);
  if (!chain) {
    return Corrupt("claim signature carries no certificate chain (x5chain)");
  }
  Status s = ReadX5Chain(*chain, sign1.x5chain);
  if (!s.ok()) return s.error();
  return sign1;
}

Status VerifyCoseSign1(const CoseSign1& sign1, std::span<const uint8_t> payload,
                       EVP_PKEY* key) {
  const CoseAlgorithm alg = sign1.alg;
  const bool ecdsa = alg == CoseAlgorithm::kEs256 ||
                     alg == CoseAlgorithm::kEs384 ||
                     alg == CoseAlgorithm::kEs512;
  const bool pss = alg == CoseAlgorithm::kPs256 ||
                   alg == CoseAlgorithm::kPs384 || alg == CoseAlgorithm::kPs512;
  const int type = EVP_PKEY_get_base_id(key);
  const bool suits =
      ecdsa ? type == EVP_PKEY_EC && EVP_PKEY_get_bits(key) == EcBits(alg)
      : pss ? type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS
            : type == EVP_PKEY_ED25519;
  if (!suits) {
    return MakeError(ErrorCode::kUnsupported,
                     std::string("signing certificate's key does not suit ") +
                         CoseAlgorithmName(alg));
  }
  std::vector<uint8_t> signature(sign1.signature.begin(),
                                 sign1.signature.end());
  if (ecdsa) {
    auto der = EcdsaDer(sign1.signature, EcBits(alg));
    if (!der.ok()) return der.error();
    signature = std::move(*der);
  }
  const std::vector<uint8_t> message =
      SigStructure(sign1.protected_header, payload);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, Digest(alg), nullptr,
                                        key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, Digest(alg)) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                              message.data(), message.size()) == 1;
  ERR_clear_error();
  if (!ok) {
    return Corrupt(std::string(CoseAlgorithmName(alg)) +
                   " claim signature does not verify with the signing "
                   "certificate's key");
  }
  return Ok{};
}

}  // namespace bulwark::provenance

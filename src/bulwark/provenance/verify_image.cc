#include "bulwark/provenance/verify_image.h"

#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "bulwark/core/hex.h"
#include "bulwark/hash/digest.h"
#include "bulwark/provenance/cbor_reader.h"
#include "bulwark/provenance/cert_chain.h"
#include "bulwark/provenance/cose_verify.h"
#include "bulwark/provenance/locate_jpeg.h"
#include "bulwark/provenance/locate_png.h"
#include "bulwark/provenance/manifest_store.h"

namespace bulwark::provenance {
namespace {

struct Failure {
  std::string code;
  std::string reason;
};
using Check = std::optional<Failure>;

constexpr std::string_view kJumbfUriPrefix = "self#jumbf=";
constexpr std::string_view kAssertionStore = "c2pa.assertions/";

// An assertion label without the "__N" suffix that numbers repeated
// instances ("c2pa.hash.data__1" is a c2pa.hash.data assertion).
std::string_view BaseLabel(std::string_view label) {
  const size_t mark = label.rfind("__");
  if (mark == std::string_view::npos || mark + 2 == label.size()) return label;
  for (size_t i = mark + 2; i < label.size(); ++i) {
    if (label[i] < '0' || label[i] > '9') return label;
  }
  return label.substr(0, mark);
}

bool IsHardBinding(std::string_view label) {
  static constexpr std::array<std::string_view, 6> kBindings = {
      "c2pa.hash.data",    "c2pa.hash.boxes",   "c2pa.hash.bmff",
      "c2pa.hash.bmff.v2", "c2pa.hash.bmff.v3", "c2pa.hash.collection.data"};
  return std::find(kBindings.begin(), kBindings.end(), BaseLabel(label)) !=
         kBindings.end();
}

bool IsAiSourceType(std::string_view type) {
  for (std::string_view term :
       {"/trainedAlgorithmicMedia", "/compositeWithTrainedAlgorithmicMedia"}) {
    if (type.size() >= term.size() &&
        type.substr(type.size() - term.size()) == term) {
      return true;
    }
  }
  return false;
}

// The assertion label a hashed URI names, relative
// ("self#jumbf=c2pa.assertions/L") or absolute within this manifest
// ("self#jumbf=/c2pa/<manifest>/c2pa.assertions/L").
Result<std::string_view> AssertionLabel(std::string_view url,
                                        std::string_view manifest) {
  std::string_view path = url;
  if (path.substr(0, kJumbfUriPrefix.size()) == kJumbfUriPrefix) {
    path.remove_prefix(kJumbfUriPrefix.size());
  }
  if (!path.empty() && path[0] == '/') {
    const std::string own = "/c2pa/" + std::string(manifest) + "/";
    if (path.substr(0, own.size()) != own) {
      return MakeError(ErrorCode::kNotFound,
                       "claim references an assertion outside its manifest: " +
                           std::string(url));
    }
    path.remove_prefix(own.size());
  }
  if (path.substr(0, kAssertionStore.size()) != kAssertionStore) {
    return MakeError(ErrorCode::kNotFound,
                     "claim references something other than an assertion: " +
                         std::string(url));
  }
  return path.substr(kAssertionStore.size());
}

// The hash algorithm of a hashed URI or data hash: its own "alg", else the
// claim's, else SHA-256. Only SHA-256 is supported.
Check CheckHashAlg(const CborItem& item, std::string_view claim_alg,
                   std::string_view what) {
  std::string_view alg = item.TextAt("alg");
  if (alg.empty()) alg = claim_alg.empty() ? "sha256" : claim_alg;
  if (alg != "sha256") {
    return Failure{"algorithm.unsupported",
                   std::string(what) + " uses hash algorithm '" +
                       std::string(alg) + "'; only sha256 is supported"};
  }
  return std::nullopt;
}

bool HexDigestEquals(std::span<const uint8_t> expected,
                     std::span<const uint8_t> data) {
  auto actual = hash::DigestHex(hash::DigestAlgorithm::kSha256, data);
  return actual.ok() && *actual == HexEncode(expected);
}

struct Verification {
  std::span<const uint8_t> image;
  const EmbeddedStore& embedded;
  const StoredManifest& manifest;
  VerifyReport& report;
  CborItem claim;
  std::string claim_alg;
  std::vector<const StoredAssertion*> declared;

  Check Claim() {
    if (manifest.claim_boxes == 0) {
      return Failure{"claim.missing", "the active manifest has no claim"};
    }
    if (manifest.claim_boxes > 1) {
      return Failure{"claim.multiple",
                     "the active manifest has " +
                         std::to_string(manifest.claim_boxes) + " claims"};
    }
    auto parsed = ReadCbor(manifest.claim);
    if (!parsed.ok()) {
      return Failure{"claim.cbor.invalid",
                     "the claim is not valid CBOR: " + parsed.error().message};
    }
    claim = std::move(*parsed);
    if (!claim.IsMap()) {
      return Failure{"claim.malformed", "the claim is not a CBOR map"};
    }
    claim_alg = std::string(claim.TextAt("alg"));
    const CborItem* info = claim.Find("claim_generator_info");
    if (info && info->IsArray() && !info->children.empty()) {
      info = &info->children[0];  // 1.x: a list
    }
    std::string generator(info ? info->TextAt("name") : "");
    if (generator.empty()) generator = claim.TextAt("claim_generator");
    const std::string_view version = info ? info->TextAt("version") : "";
    if (!version.empty()) generator += "/" + std::string(version);
    report.claim_generator = generator;
    const bool v2 = manifest.claim_label == "c2pa.claim.v2";
    for (const char* field : {"instanceID", "signature",
                              v2 ? "created_assertions" : "assertions"}) {
      if (!claim.Find(field)) {
        return Failure{"claim.required.missing",
                       std::string("the claim has no '") + field + "' field"};
      }
    }
    return std::nullopt;
  }

  Check Signature(std::vector<X509Ptr>& chain) {
    if (manifest.signature_boxes != 1 || manifest.signature.empty()) {
      return Failure{"claimSignature.missing",
                     manifest.signature_boxes > 1
                         ? "the active manifest has more than one claim "
                           "signature"
                         : "the active manifest has no claim signature"};
    }
    auto sign1 = ReadCoseSign1(manifest.signature);
    if (!sign1.ok()) {
      return Failure{sign1.error().code == ErrorCode::kUnsupported
                         ? "algorithm.unsupported"
                         : "claimSignature.missing",
                     sign1.error().message};
    }
    report.alg = CoseAlgorithmName(sign1->alg);
    auto certs = ParseCertificates(sign1->x5chain);
    if (!certs.ok()) {
      return Failure{"signingCredential.invalid", certs.error().message};
    }
    chain = std::move(*certs);
    report.signer_subject = SubjectName(chain[0].get());
    Status s = VerifyCoseSign1(*sign1, manifest.claim,
                               X509_get0_pubkey(chain[0].get()));
    if (!s.ok()) {
      return Failure{s.error().code == ErrorCode::kUnsupported
                         ? "signingCredential.invalid"
                         : "claimSignature.mismatch",
                     s.error().message};
    }
    Status profile = CheckSignerProfile(chain[0].get());
    if (!profile.ok()) {
      return Failure{"signingCredential.invalid", profile.error().message};
    }
    const ChainCheck own = CheckChainConsistent(chain);
    if (own.outcome == ChainCheck::Outcome::kExpired) {
      return Failure{"signingCredential.expired", own.reason};
    }
    if (own.outcome != ChainCheck::Outcome::kAccepted) {
      return Failure{"signingCredential.invalid", own.reason};
    }
    return std::nullopt;
  }

  Check HashedUri(const CborItem& ref) {
    const std::string_view url = ref.TextAt("url");
    const CborItem* hash = ref.Find("hash");
    if (url.empty() || !hash || !hash->IsBytes()) {
      return Failure{"claim.malformed",
                     "the claim lists an assertion without url and hash"};
    }
    if (Check alg =
            CheckHashAlg(ref, claim_alg, "hashed URI " + std::string(url))) {
      return alg;
    }
    auto label = AssertionLabel(url, manifest.label);
    if (!label.ok()) {
      return Failure{"assertion.outsideManifest", label.error().message};
    }
    const StoredAssertion* assertion = manifest.FindAssertion(*label);
    if (!assertion) {
      return Failure{"assertion.missing",
                     "the claim lists assertion '" + std::string(*label) +
                         "' but the manifest does not contain it"};
    }
    if (!HexDigestEquals(hash->bytes, assertion->hashed_bytes)) {
      return Failure{"assertion.hashedURI.mismatch",
                     "assertion '" + assertion->label +
                         "' does not match the hash the claim gives for it"};
    }
    declared.push_back(assertion);
    return std::nullopt;
  }

  Check Assertions() {
    for (const char* list :
         {"created_assertions", "gathered_assertions", "assertions"}) {
      const CborItem* refs = claim.Find(list);
      if (!refs) continue;
      if (!refs->IsArray()) {
        return Failure{"claim.malformed",
                       std::string("the claim's '") + list + "' is not a list"};
      }
      for (const CborItem& ref : refs->children) {
        if (Check failure = HashedUri(ref)) return failure;
      }
    }
    for (const StoredAssertion& a : manifest.assertions) {
      if (std::find(declared.begin(), declared.end(), &a) == declared.end()) {
        return Failure{"assertion.undeclared",
                       "assertion '" + a.label +
                           "' is in the manifest but not in its claim"};
      }
    }
    return std::nullopt;
  }

  Check Actions() {
    for (const StoredAssertion* a : declared) {
      const std::string_view base = BaseLabel(a->label);
      if (base != "c2pa.actions" && base != "c2pa.actions.v2") continue;
      auto parsed = a->box_type == "cbor"
                        ? ReadCbor(a->content)
                        : Result<CborItem>(
                              MakeError(ErrorCode::kCorrupt, "not a CBOR box"));
      const CborItem* list = parsed.ok() ? parsed->Find("actions") : nullptr;
      if (!list || !list->IsArray()) {
        return Failure{"assertion.action.malformed",
                       "assertion '" + a->label + "' has no list of actions"};
      }
      for (const CborItem& action : list->children) {
        const std::string_view name = action.TextAt("action");
        if (name.empty()) {
          return Failure{
              "assertion.action.malformed",
              "assertion '" + a->label + "' has an action without a name"};
        }
        report.actions.emplace_back(name);
        const std::string_view source = action.TextAt("digitalSourceType");
        if (report.digital_source_type.empty() && !source.empty()) {
          report.digital_source_type = source;
          report.ai_generated = IsAiSourceType(source);
        }
      }
    }
    return std::nullopt;
  }

  Check HardBinding() {
    const StoredAssertion* binding = nullptr;
    for (const StoredAssertion* a : declared) {
      if (!IsHardBinding(a->label)) continue;
      if (binding) {
        return Failure{"assertion.multipleHardBindings",
                       "the claim has more than one hard binding ('" +
                           binding->label + "', '" + a->label + "')"};
      }
      binding = a;
    }
    if (!binding) {
      return Failure{"claim.hardBindings.missing",
                     "the claim has no hard binding to the image's bytes"};
    }
    if (BaseLabel(binding->label) != "c2pa.hash.data") {
      return Failure{"algorithm.unsupported",
                     "hard binding '" + binding->label +
                         "' is not supported for JPEG and PNG; only "
                         "c2pa.hash.data is"};
    }
    auto parsed = binding->box_type == "cbor"
                      ? ReadCbor(binding->content)
                      : Result<CborItem>(
                            MakeError(ErrorCode::kCorrupt, "not a CBOR box"));
    if (!parsed.ok() || !parsed->IsMap()) {
      return Failure{"assertion.cbor.invalid",
                     "the data hash assertion is not a CBOR map"};
    }
    return DataHash(*parsed);
  }

  Check DataHash(const CborItem& data_hash) {
    const CborItem* expected = data_hash.Find("hash");
    if (!expected || !expected->IsBytes()) {
      return Failure{"assertion.required.missing",
                     "the data hash assertion has no hash"};
    }
    if (Check alg = CheckHashAlg(data_hash, claim_alg, "the data hash")) {
      return alg;
    }
    // The exclusions must remove exactly the manifest store: excluding any
    // other byte would leave it unprotected.
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    const CborItem* exclusions = data_hash.Find("exclusions");
    if (exclusions && exclusions->IsArray()) {
      for (const CborItem& e : exclusions->children) {
        const CborItem* start = e.Find("start");
        const CborItem* length = e.Find("length");
        if (!start || !length || start->type != CborItem::Type::kUnsigned ||
            length->type != CborItem::Type::kUnsigned ||
            length->value > UINT64_MAX - start->value) {
          return Failure{"assertion.dataHash.mismatch",
                         "the data hash has a malformed exclusion"};
        }
        ranges.emplace_back(start->value, start->value + length->value);
      }
    }
    std::sort(ranges.begin(), ranges.end());
    uint64_t covered_begin = ranges.empty() ? 0 : ranges[0].first;
    uint64_t covered_end = covered_begin;
    for (const auto& [begin, end] : ranges) {
      if (begin != covered_end)
        covered_end = UINT64_MAX;  // gap or overlap
      else
        covered_end = end;
    }
    if (covered_begin != embedded.begin || covered_end != embedded.end) {
      return Failure{
          "assertion.dataHash.mismatch",
          "the data hash's exclusions do not cover exactly the manifest store "
          "(bytes " +
              std::to_string(embedded.begin) + " to " +
              std::to_string(embedded.end) +
              "); the image was changed after "
              "signing"};
    }
    auto digester = hash::Digester::Create(hash::DigestAlgorithm::kSha256);
    if (!digester.ok())
      return Failure{"general.error", digester.error().message};
    digester->Update(image.subspan(0, embedded.begin));
    digester->Update(image.subspan(embedded.end));
    auto actual = digester->FinishHex();
    if (!actual.ok() || *actual != HexEncode(expected->bytes)) {
      return Failure{"assertion.dataHash.mismatch",
                     "the image's bytes do not match the signed data hash; "
                     "the image was changed after signing"};
    }
    return std::nullopt;
  }
};

Result<std::optional<EmbeddedStore>> LocateStore(std::span<const uint8_t> image,
                                                 size_t max_store_bytes) {
  if (image.size() >= 3 && image[0] == 0xff && image[1] == 0xd8 &&
      image[2] == 0xff) {
    return LocateJpegStore(image, max_store_bytes);
  }
  if (image.size() >= 8 && image[0] == 0x89 && image[1] == 'P' &&
      image[2] == 'N' && image[3] == 'G') {
    return LocatePngStore(image, max_store_bytes);
  }
  return std::optional<EmbeddedStore>();
}

VerifyReport Invalid(VerifyReport report, Failure failure) {
  report.state = VerifyState::kInvalid;
  report.failed_check = std::move(failure.code);
  report.reason = std::move(failure.reason);
  return report;
}

}  // namespace

const char* VerifyStateName(VerifyState state) {
  switch (state) {
    case VerifyState::kNone:
      return "none";
    case VerifyState::kInvalid:
      return "invalid";
    case VerifyState::kValid:
      return "valid";
    case VerifyState::kTrusted:
      return "trusted";
  }
  return "unknown";
}

Result<VerifyReport> VerifyImage(std::span<const uint8_t> image,
                                 const VerifyOptions& options) {
  std::vector<X509Ptr> anchors;
  for (const std::string& pem : options.trust_anchor_pems) {
    auto certs = ParsePemCertificates(pem);
    if (!certs.ok()) return certs.error();
    for (X509Ptr& cert : *certs) anchors.push_back(std::move(cert));
  }

  VerifyReport report;
  auto located = LocateStore(image, options.max_store_bytes);
  if (!located.ok()) {
    return Invalid(report, {"general.error", located.error().message});
  }
  if (!*located) return report;  // kNone
  const EmbeddedStore& embedded = **located;
  auto store = ReadManifestStore(embedded.jumbf);
  if (!store.ok()) {
    return Invalid(report, {"general.error", store.error().message});
  }
  if (store->manifests.empty()) {
    return Invalid(report,
                   {"claim.missing", "the manifest store has no manifest"});
  }

  Verification v{image, embedded, store->manifests.back(), report, {}, {}, {}};
  std::vector<X509Ptr> chain;
  Check failure = v.Claim();
  if (!failure) failure = v.Signature(chain);
  if (!failure) failure = v.Assertions();
  if (!failure) failure = v.Actions();
  if (!failure) failure = v.HardBinding();
  if (failure) return Invalid(std::move(report), std::move(*failure));

  if (!anchors.empty()) {
    const ChainCheck trusted = VerifyChainToAnchors(chain, anchors);
    if (trusted.outcome == ChainCheck::Outcome::kAccepted) {
      report.state = VerifyState::kTrusted;
      return report;
    }
    if (trusted.outcome == ChainCheck::Outcome::kExpired) {
      return Invalid(std::move(report),
                     {"signingCredential.expired", trusted.reason});
    }
    report.reason = trusted.reason;
  } else {
    report.reason =
        "the manifest is intact, but no trust anchors were given to check "
        "its signer against";
  }
  report.state = VerifyState::kValid;
  report.failed_check = "signingCredential.untrusted";
  return report;
}

}  // namespace bulwark::provenance

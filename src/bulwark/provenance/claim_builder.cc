#include "bulwark/provenance/claim_builder.h"

#include "bulwark/core/hex.h"
#include "bulwark/hash/digest.h"
#include "bulwark/provenance/cbor_writer.h"
#include "bulwark/provenance/jumbf_writer.h"
#include "bulwark/provenance/xmp.h"

namespace bulwark::provenance {
namespace {

constexpr std::string_view kActionsLabel = "c2pa.actions.v2";
constexpr std::string_view kDataHashLabel = "c2pa.hash.data";
constexpr std::string_view kAssertionStoreLabel = "c2pa.assertions";
constexpr std::string_view kClaimLabel = "c2pa.claim.v2";
constexpr std::string_view kSignatureLabel = "c2pa.signature";

CborValue GeneratorMap(const GeneratorInfo& generator) {
  CborValue::Map map{
      {CborValue::Text("name"), CborValue::Text(generator.name)}};
  if (!generator.version.empty()) {
    map.emplace_back(CborValue::Text("version"),
                     CborValue::Text(generator.version));
  }
  return CborValue::MakeMap(std::move(map));
}

CborValue Actions(const GeneratorInfo& generator) {
  return CborValue::MakeMap(
      {{CborValue::Text("actions"),
        CborValue::MakeArray({CborValue::MakeMap({
            {CborValue::Text("action"), CborValue::Text("c2pa.created")},
            {CborValue::Text("digitalSourceType"),
             CborValue::Text(kTrainedAlgorithmicMedia)},
            {CborValue::Text("softwareAgent"), GeneratorMap(generator)},
        })})}});
}

CborValue DataHash(const HardBinding& binding) {
  CborValue exclusion = CborValue::MakeMap(
      {{CborValue::Text("start"), CborValue::Uint(binding.exclusion_start)},
       {CborValue::Text("length"), CborValue::Uint(binding.exclusion_length)}});
  return CborValue::MakeMap(
      {{CborValue::Text("exclusions"),
        CborValue::MakeArray({std::move(exclusion)})},
       {CborValue::Text("alg"), CborValue::Text("sha256")},
       {CborValue::Text("hash"), CborValue::Bytes(binding.asset_sha256)},
       // Required by the schema; space a writer may fill later. Empty here:
       // the store's size is settled before hashing instead.
       {CborValue::Text("pad"), CborValue::Bytes({})}});
}

// A hashed URI covers an assertion's superbox without its LBox/TBox header.
Result<std::vector<uint8_t>> BoxHash(std::span<const uint8_t> superbox) {
  auto hex = hash::DigestHex(hash::DigestAlgorithm::kSha256,
                             superbox.subspan(kJumbfBoxHeaderSize));
  if (!hex.ok()) return hex.error();
  return HexDecode(*hex);
}

}  // namespace

Result<UnsignedManifest> BuildUnsignedManifest(const ManifestIds& ids,
                                               const GeneratorInfo& generator,
                                               const HardBinding& binding) {
  const std::pair<std::string_view, CborValue> assertions[] = {
      {kActionsLabel, Actions(generator)}, {kDataHashLabel, DataHash(binding)}};
  UnsignedManifest manifest;
  CborValue::Array hashed_uris;
  for (const auto& [label, content] : assertions) {
    auto cbor = EncodeCbor(content);
    if (!cbor.ok()) return cbor.error();
    manifest.assertion_boxes.push_back(
        JumbfContentSuperbox(kCborAssertionUuid, label, "cbor", *cbor));
    auto hash = BoxHash(manifest.assertion_boxes.back());
    if (!hash.ok()) return hash.error();
    hashed_uris.push_back(CborValue::MakeMap(
        {{CborValue::Text("url"),
          CborValue::Text("self#jumbf=" + std::string(kAssertionStoreLabel) +
                          "/" + std::string(label))},
         {CborValue::Text("hash"), CborValue::Bytes(*hash)}}));
  }
  auto claim = EncodeCbor(CborValue::MakeMap({
      {CborValue::Text("instanceID"), CborValue::Text(ids.instance_id)},
      {CborValue::Text("claim_generator_info"), GeneratorMap(generator)},
      {CborValue::Text("signature"),
       CborValue::Text("self#jumbf=/c2pa/" + ids.manifest_label + "/" +
                       std::string(kSignatureLabel))},
      // Both assertions are the generator's own statements, hence created
      // (not gathered) assertions.
      {CborValue::Text("created_assertions"),
       CborValue::MakeArray(std::move(hashed_uris))},
      {CborValue::Text("alg"), CborValue::Text("sha256")},
  }));
  if (!claim.ok()) return claim.error();
  manifest.claim = std::move(*claim);
  return manifest;
}

std::vector<uint8_t> AssembleManifestStore(
    const ManifestIds& ids, const UnsignedManifest& manifest,
    std::span<const uint8_t> cose_sign1) {
  const std::vector<uint8_t> parts[] = {
      JumbfSuperbox(kAssertionStoreUuid, kAssertionStoreLabel,
                    manifest.assertion_boxes),
      JumbfContentSuperbox(kClaimUuid, kClaimLabel, "cbor", manifest.claim),
      JumbfContentSuperbox(kSignatureUuid, kSignatureLabel, "cbor", cose_sign1),
  };
  const std::vector<uint8_t> manifests[] = {
      JumbfSuperbox(kManifestUuid, ids.manifest_label, parts)};
  return JumbfSuperbox(kManifestStoreUuid, "c2pa", manifests);
}

}  // namespace bulwark::provenance

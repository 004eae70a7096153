#include "bulwark/provenance/sign_image.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "bulwark/core/hex.h"
#include "bulwark/hash/digest.h"
#include "bulwark/provenance/cose_sign.h"
#include "bulwark/provenance/embed_jpeg.h"
#include "bulwark/provenance/embed_png.h"
#include "bulwark/provenance/xmp.h"

namespace bulwark::provenance {
namespace {

enum class Format { kJpeg, kPng };

// The container-specific steps, so that the signing flow is written once.
struct Container {
  size_t manifest_offset = 0;
  size_t (*wrapped_size)(size_t jumbf_size) = nullptr;
  std::vector<uint8_t> (*embed)(std::span<const uint8_t>, size_t,
                                std::span<const uint8_t>) = nullptr;
};

Result<Format> Sniff(std::span<const uint8_t> image) {
  if (image.size() >= 3 && image[0] == 0xff && image[1] == 0xd8 &&
      image[2] == 0xff) {
    return Format::kJpeg;
  }
  if (image.size() >= 8 && image[0] == 0x89 && image[1] == 'P' &&
      image[2] == 'N' && image[3] == 'G') {
    return Format::kPng;
  }
  return MakeError(ErrorCode::kUnsupported,
                   "only JPEG and PNG images can be signed");
}

Error AlreadySigned() {
  return MakeError(ErrorCode::kUnsupported,
                   "the image already carries a C2PA manifest; adding to an "
                   "existing provenance chain is not supported");
}

Result<std::string> Xmp(std::string_view existing) {
  return XmpWithDigitalSourceType(
      existing.empty() ? std::nullopt : std::optional(existing),
      kTrainedAlgorithmicMedia);
}

// The image with the XMP label, and where its manifest store goes.
Result<std::pair<std::vector<uint8_t>, Container>> Prepare(
    std::span<const uint8_t> image, Format format) {
  if (format == Format::kJpeg) {
    auto layout = ScanJpeg(image);
    if (!layout.ok()) return layout.error();
    if (layout->has_manifest) return AlreadySigned();
    auto xmp = Xmp(layout->xmp_packet);
    if (!xmp.ok()) return xmp.error();
    auto prepared = JpegWithXmp(image, *layout, *xmp);
    if (!prepared.ok()) return prepared.error();
    auto final_layout = ScanJpeg(*prepared);
    if (!final_layout.ok()) return final_layout.error();
    return std::pair(std::move(*prepared),
                     Container{final_layout->manifest_offset,
                               JpegManifestSegmentsSize, JpegWithManifest});
  }
  auto layout = ScanPng(image);
  if (!layout.ok()) return layout.error();
  if (layout->has_manifest) return AlreadySigned();
  auto xmp = Xmp(layout->xmp_packet);
  if (!xmp.ok()) return xmp.error();
  std::vector<uint8_t> prepared = PngWithXmp(image, *layout, *xmp);
  return std::pair(std::move(prepared),
                   Container{layout->manifest_offset, PngManifestChunkSize,
                             PngWithManifest});
}

Result<std::string> NewUuid() {
  uint8_t b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    return MakeError(ErrorCode::kInternal, "no random bytes for a UUID");
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<std::array<uint8_t, 32>> Sha256(std::span<const uint8_t> bytes) {
  auto hex = hash::DigestHex(hash::DigestAlgorithm::kSha256, bytes);
  if (!hex.ok()) return hex.error();
  auto raw = HexDecode(*hex);
  if (!raw.ok()) return raw.error();
  std::array<uint8_t, 32> out{};
  std::copy(raw->begin(), raw->end(), out.begin());
  return out;
}

// Size of the manifest store once `binding`'s numbers are in it: the hash
// and signature have fixed sizes, so only the exclusion's integers vary.
Result<size_t> StoreSize(const ManifestIds& ids, const GeneratorInfo& generator,
                         const HardBinding& binding, size_t cose_size) {
  auto manifest = BuildUnsignedManifest(ids, generator, binding);
  if (!manifest.ok()) return manifest.error();
  return AssembleManifestStore(ids, *manifest, std::vector<uint8_t>(cose_size))
      .size();
}

}  // namespace

GeneratorInfo ParseGenerator(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return {std::string(text), ""};
  return {std::string(text.substr(0, slash)),
          std::string(text.substr(slash + 1))};
}

Result<std::vector<uint8_t>> SignImage(std::span<const uint8_t> image,
                                       const Signer& signer,
                                       const SignOptions& options) {
  if (image.size() > options.max_image_bytes) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "the image (" + std::to_string(image.size()) +
                         " bytes) is larger than the signing limit of " +
                         std::to_string(options.max_image_bytes) + " bytes");
  }
  if (options.generator.name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the generator needs a name");
  }
  auto format = Sniff(image);
  if (!format.ok()) return format.error();
  auto prepared = Prepare(image, *format);
  if (!prepared.ok()) return prepared.error();
  const auto& [asset, container] = *prepared;

  auto manifest_uuid = NewUuid();
  auto instance_uuid = NewUuid();
  if (!manifest_uuid.ok()) return manifest_uuid.error();
  if (!instance_uuid.ok()) return instance_uuid.error();
  const ManifestIds ids{"urn:c2pa:" + *manifest_uuid,
                        "xmp:iid:" + *instance_uuid};
  auto cose_size = CoseSign1Size(signer);
  if (!cose_size.ok()) return cose_size.error();

  // The exclusion must cover the store, whose size depends on how the
  // exclusion's length encodes: iterate to the fixed point. The size only
  // grows with the length and the length with the size, so this settles
  // within a few rounds.
  HardBinding binding;
  binding.exclusion_start = container.manifest_offset;
  size_t store_size = 0;
  for (int round = 0;; ++round) {
    auto size = StoreSize(ids, options.generator, binding, *cose_size);
    if (!size.ok()) return size.error();
    const size_t length = container.wrapped_size(*size);
    if (length == binding.exclusion_length) {
      store_size = *size;
      break;
    }
    if (round == 8) {
      return MakeError(ErrorCode::kInternal,
                       "the manifest store's size does not settle");
    }
    binding.exclusion_length = length;
  }

  // The asset's bytes around the exclusion are exactly the prepared image.
  auto asset_hash = Sha256(asset);
  if (!asset_hash.ok()) return asset_hash.error();
  binding.asset_sha256 = *asset_hash;
  auto manifest = BuildUnsignedManifest(ids, options.generator, binding);
  if (!manifest.ok()) return manifest.error();
  auto cose = CoseSign1(signer, manifest->claim);
  if (!cose.ok()) return cose.error();
  const std::vector<uint8_t> store =
      AssembleManifestStore(ids, *manifest, *cose);
  if (store.size() != store_size) {
    return MakeError(ErrorCode::kInternal,
                     "the signed manifest store is " +
                         std::to_string(store.size()) + " bytes, not the " +
                         std::to_string(store_size) + " its hash assumed");
  }
  return container.embed(asset, container.manifest_offset, store);
}

}  // namespace bulwark::provenance

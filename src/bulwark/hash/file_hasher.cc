#include "bulwark/hash/file_hasher.h"

#include "bulwark/media/orientation.h"

namespace bulwark::hash {
namespace {

void Digest(DigestAlgorithm algorithm, std::span<const uint8_t> bytes,
            std::optional<std::string>& out, FileHashes& result) {
  auto hex = DigestHex(algorithm, bytes);
  if (hex.ok()) {
    out = std::move(*hex);
  } else if (!result.error) {
    result.error = hex.error();
  }
}

}  // namespace

FileHashes HashBytes(std::span<const uint8_t> bytes, const HashRequest& req) {
  FileHashes result;
  if (req.md5) Digest(DigestAlgorithm::kMd5, bytes, result.md5, result);
  if (req.sha1) Digest(DigestAlgorithm::kSha1, bytes, result.sha1, result);
  if (req.sha256) {
    Digest(DigestAlgorithm::kSha256, bytes, result.sha256, result);
  }
  if (!req.pdq) return result;

  media::DecodeOptions decode = req.decode;
  if (req.pdq_options.mode == PdqMode::kFast) {
    decode.min_side_hint = kFastModeMinSide;
  }
  auto image = media::DecodeImage(bytes, decode);
  if (!image.ok()) {
    result.error = image.error();
    return result;
  }
  result.image = ImageInfo{media::SniffFormat(bytes), image->source_width,
                           image->source_height, image->orientation};
  Result<PdqResult> pdq =
      req.orientation == OrientationPolicy::kApply
          ? ComputePdq(media::ApplyOrientation(*image), req.pdq_options)
          : ComputePdq(*image, req.pdq_options);
  if (pdq.ok()) {
    result.pdq = std::move(*pdq);
  } else {
    result.error = pdq.error();
  }
  return result;
}

}  // namespace bulwark::hash

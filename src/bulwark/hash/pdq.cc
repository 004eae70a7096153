#include "bulwark/hash/pdq.h"

#include "bulwark/hash/pdq_downsample.h"
#include "bulwark/media/resize.h"

namespace bulwark::hash {
namespace {

constexpr int kCliSide = 512;

PdqResult HashLuma(const media::Image& image, bool grey, bool dihedral) {
  Luma64 luma;
  // Only a 64x64 image hashes differently on the dihedral path (see
  // DownsampleToLuma64).
  if (dihedral && image.width == 64 && image.height == 64) {
    DownsampleToLuma64(image, grey, /*allow_passthrough=*/true, luma);
    PdqResult result = PdqFromLuma64(luma, /*dihedral=*/false);
    DownsampleToLuma64(image, grey, /*allow_passthrough=*/false, luma);
    result.dihedral = PdqFromLuma64(luma, /*dihedral=*/true).dihedral;
    return result;
  }
  DownsampleToLuma64(image, grey, /*allow_passthrough=*/true, luma);
  return PdqFromLuma64(luma, dihedral);
}

}  // namespace

PdqResult PdqFromLuma64(const float (&luma)[64][64], bool dihedral) {
  PdqResult result;
  Dct16 dct;
  result.quality = PdqQuality(luma);
  Dct64To16(luma, dct);
  result.hash = HashFromDct(dct);
  if (dihedral) result.dihedral = DihedralHashesFromDct(dct);
  return result;
}

const char* PdqModeName(PdqMode mode) {
  switch (mode) {
    case PdqMode::kFull:
      return "full";
    case PdqMode::kCli512:
      return "cli512";
    case PdqMode::kFast:
      return "fast";
  }
  return "unknown";
}

Result<PdqMode> ParsePdqMode(std::string_view text) {
  for (PdqMode m : {PdqMode::kFull, PdqMode::kCli512, PdqMode::kFast}) {
    if (text == PdqModeName(m)) return m;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown PDQ mode '" + std::string(text) +
                       "' (expected full, cli512 or fast)");
}

bool IsGrey(const media::Image& image) {
  if (image.format == media::PixelFormat::kGray8) return true;
  const uint8_t* p = image.pixels.data();
  const size_t n = static_cast<size_t>(image.width) * image.height;
  for (size_t i = 0; i < n; ++i, p += 3) {
    if (p[0] != p[1] || p[0] != p[2]) return false;
  }
  return true;
}

Result<PdqResult> ComputePdq(const media::Image& image,
                             const PdqOptions& options) {
  if (image.width < kPdqMinSide || image.height < kPdqMinSide) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "image is " + std::to_string(image.width) + "x" +
                         std::to_string(image.height) +
                         ", too small for PDQ (minimum 5x5)");
  }
  const bool grey = IsGrey(image);
  if (options.mode == PdqMode::kCli512 &&
      (image.width > kCliSide || image.height > kCliSide)) {
    return HashLuma(media::ResizeNearest(image, kCliSide, kCliSide), grey,
                    options.dihedral);
  }
  return HashLuma(image, grey, options.dihedral);
}

}  // namespace bulwark::hash

// WebP via libwebp + libwebpdemux: lossy, lossless, extended (alpha is
// dropped, stored colours kept) and animated (first frame only, placed on a
// black canvas of the declared canvas size without blending). Always Rgb8.
// Orientation comes from the EXIF chunk.
#pragma once

#include "bulwark/media/decoder.h"

namespace bulwark::media {

class WebpDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kWebp; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

}  // namespace bulwark::media

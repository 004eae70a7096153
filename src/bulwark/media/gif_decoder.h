// GIF via giflib, first frame only: reads records up to the end of the
// first image and no further. The frame is placed on the logical screen,
// which starts filled with the global background colour (black without a
// global colour table). Transparent pixels keep their palette colour, since
// alpha is dropped rather than composited. Interlaced frames are reordered.
// Always Rgb8.
#pragma once

#include "bulwark/media/decoder.h"

namespace bulwark::media {

class GifDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kGif; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

}  // namespace bulwark::media

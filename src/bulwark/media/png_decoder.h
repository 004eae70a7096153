// PNG via libpng: every colour type and bit depth, interlaced or not.
// Grey and grey+alpha give Gray8, everything else Rgb8; alpha and tRNS are
// dropped (stored colours kept), 1/2/4-bit grey is stretched to 0..255 and
// 16-bit samples are scaled with rounding (round(v*255/65535)). CRC errors in
// critical chunks and truncation are errors. Orientation comes from eXIf.
#pragma once

#include "bulwark/media/decoder.h"

namespace bulwark::media {

class PngDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kPng; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

}  // namespace bulwark::media

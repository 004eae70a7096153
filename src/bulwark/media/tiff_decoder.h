// TIFF via libtiff (first page). 8/16-bit contiguous grey and RGB strips are
// read directly (grey -> Gray8 with MinIsWhite inverted, alpha dropped,
// 16-bit scaled with rounding); everything else libtiff can render (palette,
// bilevel, YCbCr, CMYK, tiles, planar) goes through TIFFRGBAImage, whose
// grey output is reduced back to Gray8. Pixels stay in stored order; the
// Orientation tag is reported in Image.orientation.
#pragma once

#include "bulwark/media/decoder.h"

namespace bulwark::media {

class TiffDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kTiff; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

}  // namespace bulwark::media

// JPEG via libjpeg-turbo, with its default (djpeg) decoding settings so the
// pixels match what reference hash producers see.
#pragma once

#include <cstdint>

#include "bulwark/media/decoder.h"

namespace bulwark::media {

// Supports baseline, extended and progressive JPEG with 1 (grey -> Gray8),
// 3 (YCbCr/RGB -> Rgb8) or 4 (CMYK/YCCK -> Rgb8) components. Every libjpeg
// warning (premature end of data, corrupt entropy data, ...) is an error.
// Progressive files with more than limits.max_jpeg_scans scans are rejected.
// Honours options.min_side_hint with DCT scaling (1/8 .. 8/8, never up).
class JpegDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kJpeg; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

// Converts one CMYK JPEG sample set (as libjpeg returns it, 0..255 each) to
// RGB the way ImageMagick 6 does without a colour profile. ImageMagick treats
// every CMYK JPEG as Adobe-inverted: it stores C' = QuantumRange - c*257 (and
// likewise for M, Y, K), then converts R = QuantumRange*(1-C'/QR)*(1-K'/QR)
// and scales to 8 bits with rounding. That simplifies exactly to
// R = round(c*k/255); c*k/255 is never a half-integer, so there are no ties.
void CmykToRgb(const uint8_t cmyk[4], uint8_t rgb[3]);

}  // namespace bulwark::media

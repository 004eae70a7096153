// JPEG via libjpeg-turbo, with its default (djpeg) decoding settings so the
// pixels match what reference hash producers see.
#pragma once

#include <cstddef>
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

// What DecodeJpegRows knows once the header is read.
struct JpegRowsInfo {
  int width = 0, height = 0;  // of the rows to come (after DCT scaling)
  PixelFormat format = PixelFormat::kRgb8;
  int source_width = 0, source_height = 0;  // as stored
  Orientation orientation = Orientation::kTopLeft;
};

// Receives a JPEG's pixels strip by strip, for consumers that need one pass
// over the rows and no whole image (hashing): the strip stays in cache and
// no full-size buffer is written.
class JpegRowSink {
 public:
  virtual ~JpegRowSink() = default;
  // Called once, before any row. Returns how many rows each Rows() call
  // should carry (the last may carry fewer), or 0 to stop without decoding
  // the pixels. Must not throw.
  virtual int Begin(const JpegRowsInfo& info) = 0;
  // `count` rows starting at `rows`, `stride` bytes apart, in the format of
  // Begin's info, top to bottom. Must not throw.
  virtual void Rows(const uint8_t* rows, size_t stride, int count) = 0;
};

// Decodes exactly as JpegDecoder::Decode does (same settings, limits and
// errors, so the same pixels), but hands the rows to `sink` instead of
// returning an image. True when every row was delivered, false when Begin
// stopped the decode. On an error some rows may already have been
// delivered. Does not check limits.max_bytes (DecodeImage does).
Result<bool> DecodeJpegRows(std::span<const uint8_t> bytes,
                            const DecodeOptions& options, JpegRowSink& sink);

// Converts one CMYK JPEG sample set (as libjpeg returns it, 0..255 each) to
// RGB the way ImageMagick 6 does without a colour profile. ImageMagick treats
// every CMYK JPEG as Adobe-inverted: it stores C' = QuantumRange - c*257 (and
// likewise for M, Y, K), then converts R = QuantumRange*(1-C'/QR)*(1-K'/QR)
// and scales to 8 bits with rounding. That simplifies exactly to
// R = round(c*k/255); c*k/255 is never a half-integer, so there are no ties.
void CmykToRgb(const uint8_t cmyk[4], uint8_t rgb[3]);

}  // namespace bulwark::media

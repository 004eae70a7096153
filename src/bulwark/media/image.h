// A decoded still image: 8-bit samples, row-major, tightly packed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bulwark::media {

// Grey images stay one channel so that hashing can use the grey value itself
// (as the reference tools do) rather than a weighted sum of equal R, G, B.
// Alpha is dropped, never composited: hash-list producers hash the stored
// colour samples.
enum class PixelFormat : uint8_t {
  kGray8 = 1,  // one byte per pixel
  kRgb8 = 3,   // three bytes per pixel, R G B
};

inline int ChannelCount(PixelFormat f) { return static_cast<int>(f); }

// EXIF orientation tag values 1..8 (TIFF 6.0 / EXIF 2.3, tag 0x0112).
// 1 means "stored upright" and is also what images without the tag report.
enum class Orientation : uint8_t {
  kTopLeft = 1,      // as stored
  kTopRight = 2,     // mirrored left-right
  kBottomRight = 3,  // rotated 180
  kBottomLeft = 4,   // mirrored top-bottom
  kLeftTop = 5,      // transposed
  kRightTop =
      6,  // stored rotated 90 counter-clockwise: display turns it 90 clockwise
  kRightBottom = 7,  // transversed
  kLeftBottom = 8,   // stored rotated 90 clockwise
};

struct Image {
  int width = 0;   // pixels, >= 1
  int height = 0;  // pixels, >= 1
  PixelFormat format = PixelFormat::kRgb8;
  Orientation orientation = Orientation::kTopLeft;  // read from metadata
  std::vector<uint8_t> pixels;  // height * width * ChannelCount(format) bytes
  // Size of the encoded image: equal to width x height unless the decoder
  // was allowed to decode at reduced scale (DecodeOptions::min_side_hint).
  int source_width = 0;
  int source_height = 0;

  size_t row_bytes() const {
    return static_cast<size_t>(width) * ChannelCount(format);
  }
  const uint8_t* row(int y) const { return pixels.data() + y * row_bytes(); }
  uint8_t* row(int y) { return pixels.data() + y * row_bytes(); }
};

}  // namespace bulwark::media

// Limits and knobs for decoding untrusted image bytes.
#pragma once

#include <cstdint>

namespace bulwark::media {

// Every limit is checked against the header before any pixel buffer is
// allocated, so a file that merely claims to be huge costs nothing.
struct DecodeLimits {
  uint64_t max_bytes = 256ull << 20;  // encoded file size, bytes
  uint64_t max_pixels = 64'000'000;   // width * height (64 megapixels)
  uint32_t max_side = 65'535;         // width and height, pixels
  // Progressive JPEG scans. Each scan revisits every coefficient, so a small
  // file with thousands of tiny scans costs minutes of CPU; real encoders
  // write about 10 (libjpeg-turbo's own tjDecompress cap is 500).
  uint32_t max_jpeg_scans = 500;
};

struct DecodeOptions {
  DecodeLimits limits;
  // When > 0, a decoder that can decode at reduced scale cheaply (JPEG DCT
  // scaling) may return an image whose shorter side is at least this many
  // pixels instead of the full-size image. 0 means full size, always.
  int min_side_hint = 0;
};

}  // namespace bulwark::media

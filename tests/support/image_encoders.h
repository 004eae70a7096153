// Synthesizes benign test images (gradients, noise, flat shapes) and encodes
// them in every format the media module reads, with the same libraries it
// decodes with (BMP and the WebP container by hand). For tests only: no
// error handling beyond assert, since inputs are always well-formed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/media/image.h"

namespace bulwark::testing {

using Bytes = std::vector<uint8_t>;
using media::Image;
using media::PixelFormat;

// Smooth diagonal gradient, distinct per channel.
Image Gradient(int width, int height, PixelFormat format);
// Deterministic pseudo-random noise.
Image Noise(int width, int height, PixelFormat format, uint32_t seed);

// A TIFF-structured EXIF block holding only the orientation tag, without the
// "Exif\0\0" prefix.
Bytes ExifBlock(uint16_t orientation, bool big_endian);

// --- JPEG (libjpeg-turbo) ---
struct JpegOptions {
  int quality = 90;
  bool progressive = false;
  Bytes app1;  // written verbatim as an APP1 segment when non-empty
};
Bytes EncodeJpeg(const Image& image, const JpegOptions& options = {});
// 4-channel CMYK samples, written as Adobe CMYK (libjpeg adds APP14).
Bytes EncodeCmykJpeg(int width, int height, const Bytes& cmyk);

// --- PNG (libpng) ---
struct PngOptions {
  int color_type = 2;  // PNG_COLOR_TYPE_*
  int bit_depth = 8;
  bool interlace = false;
  Bytes palette;  // RGB triples, for color_type 3
  Bytes trns;     // palette alpha, for color_type 3
  Bytes exif;     // eXIf chunk payload when non-empty
};
// `samples` has width*height*channels values at the given bit depth.
Bytes EncodePng(int width, int height, const std::vector<uint16_t>& samples,
                const PngOptions& options);
// 8-bit grey or RGB straight from an Image.
Bytes EncodePng(const Image& image, bool interlace = false);

// --- WebP (libwebp; extended containers built by hand) ---
Bytes EncodeWebpLossless(const Image& rgb);
Bytes EncodeWebpLossy(const Image& rgb, int quality = 90);
// Lossless with alpha; stored RGB kept exactly even where alpha is 0.
Bytes EncodeWebpLosslessRgba(int width, int height, const Bytes& rgba);
// The bitstream chunk ("VP8 "/"VP8L" header included) of a simple file.
Bytes WebpBitstreamChunk(const Bytes& simple_webp);
// VP8X container around one still bitstream chunk plus an EXIF chunk.
Bytes WebpWithExif(const Bytes& simple_webp, int width, int height,
                   const Bytes& exif);
struct WebpFrame {
  Bytes simple_webp;
  int x = 0, y = 0;  // even offsets
  int width = 0, height = 0;
};
Bytes AnimatedWebp(int canvas_width, int canvas_height,
                   const std::vector<WebpFrame>& frames);

// --- GIF (giflib) ---
struct GifFrame {
  int left = 0, top = 0, width = 0, height = 0;
  Bytes indices;  // width*height palette indices, row-major (display order)
  bool interlace = false;
  int transparent_index = -1;
  Bytes local_palette;  // RGB triples; empty means use the global one
};
Bytes EncodeGif(int screen_width, int screen_height, const Bytes& palette,
                int background_index, const std::vector<GifFrame>& frames);

// --- BMP (by hand) ---
struct BmpOptions {
  int bpp = 24;          // 1, 4, 8 (palette), 16, 24, 32
  int header_size = 40;  // 12 (core), 40, 108 (V4), 124 (V5)
  bool top_down = false;
  bool bitfields = false;  // 16/32-bit: BI_BITFIELDS with masks below
  uint32_t masks[3] = {0, 0, 0};
  Bytes palette;  // RGB triples, for bpp <= 8
};
// For bpp <= 8, `pixels` are palette indices (one byte each, Gray8-shaped
// image); otherwise an Rgb8 image. 16/32-bit without bitfields use 5-5-5 and
// X8R8G8B8.
Bytes EncodeBmp(const Image& pixels, const BmpOptions& options);

// --- TIFF (libtiff) ---
struct TiffOptions {
  int bits = 8;              // 8 or 16 (samples scaled v*257)
  bool alpha = false;        // add an unassociated alpha channel (value 77)
  uint16_t compression = 1;  // COMPRESSION_*
  uint16_t orientation = 1;
  int rows_per_strip = 4;
  bool min_is_white = false;
};
Bytes EncodeTiff(const Image& image, const TiffOptions& options = {});
// 8-bit palette TIFF (goes through the RGBA path).
Bytes EncodePaletteTiff(int width, int height, const Bytes& indices,
                        const Bytes& palette);

}  // namespace bulwark::testing

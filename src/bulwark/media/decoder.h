// The Decoder interface: one implementation per file format, chosen by
// sniffing the bytes (never the file name).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/media/decode_options.h"
#include "bulwark/media/image.h"

namespace bulwark::media {

enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kGif, kBmp, kTiff };

// "jpeg", "png", ...; "unknown" for kUnknown.
const char* ImageFormatName(ImageFormat f);

// Looks at the leading magic bytes only.
ImageFormat SniffFormat(std::span<const uint8_t> bytes);

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual ImageFormat format() const = 0;
  // Decodes the first frame/page. Truncated or corrupt data is an error,
  // never a padded image. The result has width, height >= 1, 8-bit samples,
  // Gray8 or Rgb8, and its EXIF orientation (if the format carries one).
  virtual Result<Image> Decode(std::span<const uint8_t> bytes,
                               const DecodeOptions& options) const = 0;
};

// The decoder for `f`, or nullptr for kUnknown.
std::unique_ptr<Decoder> MakeDecoder(ImageFormat f);

// Sniffs, checks options.limits.max_bytes, and decodes.
Result<Image> DecodeImage(std::span<const uint8_t> bytes,
                          const DecodeOptions& options);

}  // namespace bulwark::media

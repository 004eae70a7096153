#include "bulwark/media/decoder.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "bulwark/media/bmp_decoder.h"
#include "bulwark/media/gif_decoder.h"
#include "bulwark/media/jpeg_decoder.h"
#include "bulwark/media/png_decoder.h"
#include "bulwark/media/tiff_decoder.h"
#include "bulwark/media/webp_decoder.h"

namespace bulwark::media {
namespace {

bool StartsWith(std::span<const uint8_t> bytes, const char* magic, size_t size,
                size_t offset = 0) {
  return bytes.size() >= offset + size &&
         std::memcmp(bytes.data() + offset, magic, size) == 0;
}

}  // namespace

const char* ImageFormatName(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kGif:
      return "gif";
    case ImageFormat::kBmp:
      return "bmp";
    case ImageFormat::kTiff:
      return "tiff";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

ImageFormat SniffFormat(std::span<const uint8_t> bytes) {
  if (StartsWith(bytes, "\xFF\xD8\xFF", 3)) return ImageFormat::kJpeg;
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n", 8)) return ImageFormat::kPng;
  if (StartsWith(bytes, "RIFF", 4) && StartsWith(bytes, "WEBP", 4, 8)) {
    return ImageFormat::kWebp;
  }
  if (StartsWith(bytes, "GIF87a", 6) || StartsWith(bytes, "GIF89a", 6)) {
    return ImageFormat::kGif;
  }
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (StartsWith(bytes, "II*\0", 4) || StartsWith(bytes, "MM\0*", 4) ||
      StartsWith(bytes, "II+\0", 4) || StartsWith(bytes, "MM\0+", 4)) {
    return ImageFormat::kTiff;
  }
  if (StartsWith(bytes, "BM", 2)) return ImageFormat::kBmp;
  return ImageFormat::kUnknown;
}

std::unique_ptr<Decoder> MakeDecoder(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return std::make_unique<JpegDecoder>();
    case ImageFormat::kPng:
      return std::make_unique<PngDecoder>();
    case ImageFormat::kWebp:
      return std::make_unique<WebpDecoder>();
    case ImageFormat::kGif:
      return std::make_unique<GifDecoder>();
    case ImageFormat::kBmp:
      return std::make_unique<BmpDecoder>();
    case ImageFormat::kTiff:
      return std::make_unique<TiffDecoder>();
    case ImageFormat::kUnknown:
      break;
  }
  return nullptr;
}

Result<Image> DecodeImage(std::span<const uint8_t> bytes,
                          const DecodeOptions& options) {
  if (bytes.empty()) {
    return MakeError(ErrorCode::kCorrupt, "file is empty (0 bytes)");
  }
  if (bytes.size() > options.limits.max_bytes) {
    return MakeError(
        ErrorCode::kLimitExceeded,
        "file is " + std::to_string(bytes.size()) + " bytes, over the " +
            std::to_string(options.limits.max_bytes) + "-byte limit");
  }
  const ImageFormat format = SniffFormat(bytes);
  std::unique_ptr<Decoder> decoder = MakeDecoder(format);
  if (decoder == nullptr) {
    std::string hex;
    for (size_t i = 0; i < bytes.size() && i < 8; ++i) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", bytes[i]);
      hex += buf;
    }
    return MakeError(ErrorCode::kUnsupported,
                     "not a recognised image format (JPEG, PNG, WebP, GIF, "
                     "BMP or TIFF); file starts with bytes " +
                         hex);
  }
  return decoder->Decode(bytes, options);
}

}  // namespace bulwark::media

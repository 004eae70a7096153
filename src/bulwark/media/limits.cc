#include "bulwark/media/limits.h"

#include <string>

namespace bulwark::media {

Status CheckImageSize(uint64_t width, uint64_t height,
                      const DecodeLimits& limits) {
  const std::string dims = std::to_string(width) + "x" + std::to_string(height);
  if (width == 0 || height == 0) {
    return MakeError(ErrorCode::kCorrupt,
                     "image is " + dims + ": zero width or height");
  }
  // Both factors are below 2^32 for every format's header field, but a
  // hand-built caller might not be; check before multiplying.
  if (width > limits.max_pixels || height > limits.max_pixels ||
      width * height > limits.max_pixels) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "image is " + dims + ", over the " +
                         std::to_string(limits.max_pixels) + "-pixel limit");
  }
  if (width > limits.max_side || height > limits.max_side) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "image is " + dims + ", over the " +
                         std::to_string(limits.max_side) +
                         "-pixel limit on a side");
  }
  return Ok{};
}

Image AllocateImage(int width, int height, PixelFormat format) {
  Image image;
  image.width = width;
  image.height = height;
  image.source_width = width;
  image.source_height = height;
  image.format = format;
  image.pixels.assign(
      static_cast<size_t>(width) * height * ChannelCount(format), 0);
  return image;
}

}  // namespace bulwark::media

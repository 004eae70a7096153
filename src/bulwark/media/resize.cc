#include "bulwark/media/resize.h"

#include <cstring>
#include <vector>

namespace bulwark::media {

Image ResizeNearest(const Image& src, int width, int height) {
  Image dst;
  dst.width = width;
  dst.height = height;
  dst.format = src.format;
  dst.orientation = src.orientation;
  dst.source_width = src.source_width;
  dst.source_height = src.source_height;
  dst.pixels.resize(static_cast<size_t>(width) * height *
                    ChannelCount(src.format));
  const int channels = ChannelCount(src.format);
  std::vector<size_t> src_offset(width);
  for (int x = 0; x < width; ++x) {
    src_offset[x] =
        static_cast<size_t>(static_cast<int64_t>(x) * src.width / width) *
        channels;
  }
  for (int y = 0; y < height; ++y) {
    const uint8_t* in = src.row(
        static_cast<int>(static_cast<int64_t>(y) * src.height / height));
    uint8_t* out = dst.row(y);
    for (int x = 0; x < width; ++x) {
      std::memcpy(out + x * channels, in + src_offset[x], channels);
    }
  }
  return dst;
}

}  // namespace bulwark::media

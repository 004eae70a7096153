#include "support/synthetic_image.h"

#include <algorithm>
#include <cmath>

namespace bulwark::testing {

media::Image SyntheticImage(int width, int height, media::PixelFormat format,
                            uint32_t seed, int noise) {
  media::Image img;
  img.width = width;
  img.height = height;
  img.format = format;
  const int channels = media::ChannelCount(format);
  img.pixels.resize(static_cast<size_t>(width) * height * channels);
  uint32_t state = seed * 2654435761u + 1;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        double base =
            255.0 * (x + 2.0 * y + 31.0 * c) / (width + 2.0 * height + 62.0);
        double dx = x - width * (0.3 + 0.2 * c), dy = y - height * 0.6;
        if (dx * dx + dy * dy < 0.05 * width * height) base = 255 - base;
        int v =
            static_cast<int>(base) +
            (noise ? static_cast<int>(next() % (2 * noise + 1)) - noise : 0);
        img.pixels[(static_cast<size_t>(y) * width + x) * channels + c] =
            static_cast<uint8_t>(std::clamp(v, 0, 255));
      }
    }
  }
  return img;
}

media::Image GreyAsRgb(const media::Image& grey) {
  media::Image rgb = grey;
  rgb.format = media::PixelFormat::kRgb8;
  rgb.pixels.resize(grey.pixels.size() * 3);
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    rgb.pixels[3 * i] = rgb.pixels[3 * i + 1] = rgb.pixels[3 * i + 2] =
        grey.pixels[i];
  }
  return rgb;
}

}  // namespace bulwark::testing

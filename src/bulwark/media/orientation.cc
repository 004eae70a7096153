#include "bulwark/media/orientation.h"

#include <cassert>
#include <cstring>

namespace bulwark::media {

Image ApplyOrientation(const Image& image) {
  const int w = image.width;
  const int h = image.height;
  const int c = ChannelCount(image.format);
  assert(image.pixels.size() == static_cast<size_t>(w) * h * c);
  const bool swap = image.orientation >= Orientation::kLeftTop;
  Image out;
  out.width = swap ? h : w;
  out.height = swap ? w : h;
  out.format = image.format;
  out.orientation = Orientation::kTopLeft;
  out.pixels.resize(image.pixels.size());
  // For each output pixel (x, y), the stored pixel (sx, sy) that lands there.
  // The EXIF definitions say where stored row 0 and column 0 go visually;
  // these are their inverses.
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (image.orientation) {
        case Orientation::kTopLeft:
          break;
        case Orientation::kTopRight:
          sx = w - 1 - x;
          break;
        case Orientation::kBottomRight:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case Orientation::kBottomLeft:
          sy = h - 1 - y;
          break;
        case Orientation::kLeftTop:
          sx = y;
          sy = x;
          break;
        case Orientation::kRightTop:
          sx = y;
          sy = h - 1 - x;
          break;
        case Orientation::kRightBottom:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        case Orientation::kLeftBottom:
          sx = w - 1 - y;
          sy = x;
          break;
      }
      std::memcpy(out.row(y) + static_cast<size_t>(x) * c,
                  image.row(sy) + static_cast<size_t>(sx) * c, c);
    }
  }
  return out;
}

}  // namespace bulwark::media

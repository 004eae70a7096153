#include "bulwark/classify/preprocess.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <vector>

namespace bulwark::classify {
namespace {

// The upright image as a view of the stored pixels: upright pixel (x, y)
// starts at byte origin + x * step_x + y * step_y. Every EXIF orientation is
// such an affine map (the inverses media::ApplyOrientation spells out), so
// no rotated copy of a large image is ever made.
struct UprightView {
  int width = 0;
  int height = 0;
  ptrdiff_t origin = 0;
  ptrdiff_t step_x = 0;
  ptrdiff_t step_y = 0;
};

UprightView ViewOf(const media::Image& image) {
  const ptrdiff_t px = media::ChannelCount(image.format);
  const ptrdiff_t row = static_cast<ptrdiff_t>(image.row_bytes());
  const ptrdiff_t last_x = (image.width - 1) * px;
  const ptrdiff_t last_y = (image.height - 1) * row;
  const int w = image.width, h = image.height;
  using media::Orientation;
  switch (image.orientation) {
    case Orientation::kTopLeft:
      break;
    case Orientation::kTopRight:  // sx = w - 1 - x
      return {w, h, last_x, -px, row};
    case Orientation::kBottomRight:  // sx = w - 1 - x, sy = h - 1 - y
      return {w, h, last_y + last_x, -px, -row};
    case Orientation::kBottomLeft:  // sy = h - 1 - y
      return {w, h, last_y, px, -row};
    case Orientation::kLeftTop:  // sx = y, sy = x
      return {h, w, 0, row, px};
    case Orientation::kRightTop:  // sx = y, sy = h - 1 - x
      return {h, w, last_y, -row, px};
    case Orientation::kRightBottom:  // sx = w - 1 - y, sy = h - 1 - x
      return {h, w, last_y + last_x, -row, -px};
    case Orientation::kLeftBottom:  // sx = w - 1 - y, sy = x
      return {h, w, last_x, row, -px};
  }
  return {w, h, 0, px, row};
}

// One output coordinate's two source neighbours (as byte offsets along the
// axis) and the weight of the second.
struct Tap {
  ptrdiff_t lo = 0;
  ptrdiff_t hi = 0;
  double frac = 0.0;
};

// TF.js's resizeBilinear coordinate mapping, operation for operation in
// double precision (JavaScript numbers), including its clamping.
std::vector<Tap> Taps(int in, int out, ResizeMethod method, ptrdiff_t step) {
  const bool align = method == ResizeMethod::kBilinearAlignCorners && out > 1;
  const double ratio = static_cast<double>(align ? in - 1 : in) /
                       static_cast<double>(align ? out - 1 : out);
  std::vector<Tap> taps(out);
  for (int i = 0; i < out; ++i) {
    const double source = method == ResizeMethod::kBilinearHalfPixel
                              ? ratio * (i + 0.5) - 0.5
                              : ratio * i;
    const double lo = std::max(0.0, std::floor(source));
    const double hi = std::min(static_cast<double>(in - 1), std::ceil(source));
    taps[i] = Tap{static_cast<ptrdiff_t>(lo) * step,
                  static_cast<ptrdiff_t>(hi) * step, source - lo};
  }
  return taps;
}

}  // namespace

Preprocessor::Preprocessor(const InputSpec& spec)
    : spec_(spec),
      tensor_size_(static_cast<size_t>(spec.width) * spec.height * 3) {
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) {
      normalised_[c][v] = static_cast<float>(
          (static_cast<double>(v) - spec.mean[c]) / spec.std[c]);
    }
  }
}

void Preprocessor::Run(const media::Image& image,
                       std::span<float> tensor) const {
  assert(tensor.size() == tensor_size_);
  assert(image.width >= 1 && image.height >= 1);
  assert(image.pixels.size() == image.row_bytes() * image.height);
  const UprightView view = ViewOf(image);
  const std::vector<Tap> xs =
      Taps(view.width, spec_.width, spec_.resize, view.step_x);
  const std::vector<Tap> ys =
      Taps(view.height, spec_.height, spec_.resize, view.step_y);

  // Which stored channel feeds each model channel.
  std::array<int, 3> source{0, 0, 0};
  if (image.format == media::PixelFormat::kRgb8) {
    source = spec_.colour_order == ColourOrder::kRgb
                 ? std::array<int, 3>{0, 1, 2}
                 : std::array<int, 3>{2, 1, 0};
  }
  const size_t plane = static_cast<size_t>(spec_.width) * spec_.height;
  const bool planar = spec_.layout == TensorLayout::kNchw;
  const uint8_t* base = image.pixels.data() + view.origin;

  for (int y = 0; y < spec_.height; ++y) {
    const uint8_t* top = base + ys[y].lo;
    const uint8_t* bottom = base + ys[y].hi;
    const double fy = ys[y].frac;
    for (int x = 0; x < spec_.width; ++x) {
      const Tap& tx = xs[x];
      const size_t pixel = static_cast<size_t>(y) * spec_.width + x;
      for (int c = 0; c < 3; ++c) {
        const std::array<float, 256>& lut = normalised_[c];
        const int s = source[c];
        const double top_left = lut[top[tx.lo + s]];
        const double top_right = lut[top[tx.hi + s]];
        const double bottom_left = lut[bottom[tx.lo + s]];
        const double bottom_right = lut[bottom[tx.hi + s]];
        const double upper = top_left + (top_right - top_left) * tx.frac;
        const double lower =
            bottom_left + (bottom_right - bottom_left) * tx.frac;
        const float value = static_cast<float>(upper + (lower - upper) * fy);
        tensor[planar ? c * plane + pixel : pixel * 3 + c] = value;
      }
    }
  }
}

}  // namespace bulwark::classify

#include "bulwark/incident/views.h"

#include <algorithm>

#include "bulwark/media/decoder.h"
#include "bulwark/media/jpeg_encoder.h"
#include "bulwark/media/resize.h"

namespace bulwark::incident {
namespace {

using media::Image;
using media::PixelFormat;

// Width and height with the long side at most `side`, aspect kept.
std::pair<int, int> Fit(const Image& img, int side) {
  const int long_side = std::max(img.width, img.height);
  if (long_side <= side) return {img.width, img.height};
  const double scale = static_cast<double>(side) / long_side;
  return {std::max(1, static_cast<int>(img.width * scale + 0.5)),
          std::max(1, static_cast<int>(img.height * scale + 0.5))};
}

// Each destination pixel is the mean of the source block it covers (box
// filter), so a reduction keeps no detail finer than a block and no single
// source pixel shows through, unlike nearest-neighbour sampling.
Image AreaReduce(const Image& src, int width, int height) {
  Image dst;
  dst.width = width;
  dst.height = height;
  dst.format = src.format;
  const int c = media::ChannelCount(src.format);
  dst.pixels.resize(dst.row_bytes() * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    const int y0 =
        static_cast<int>(static_cast<int64_t>(y) * src.height / height);
    const int y1 = std::max(
        y0 + 1,
        static_cast<int>(static_cast<int64_t>(y + 1) * src.height / height));
    for (int x = 0; x < width; ++x) {
      const int x0 =
          static_cast<int>(static_cast<int64_t>(x) * src.width / width);
      const int x1 = std::max(
          x0 + 1,
          static_cast<int>(static_cast<int64_t>(x + 1) * src.width / width));
      uint64_t sum[3] = {0, 0, 0};
      for (int sy = y0; sy < y1; ++sy) {
        const uint8_t* p = src.row(sy) + static_cast<size_t>(x0) * c;
        for (int sx = x0; sx < x1; ++sx, p += c) {
          for (int k = 0; k < c; ++k) sum[k] += p[k];
        }
      }
      const uint64_t n = static_cast<uint64_t>(y1 - y0) * (x1 - x0);
      uint8_t* out = dst.row(y) + static_cast<size_t>(x) * c;
      for (int k = 0; k < c; ++k) {
        out[k] = static_cast<uint8_t>((sum[k] + n / 2) / n);
      }
    }
  }
  return dst;
}

Image ToGray(const Image& src) {
  if (src.format == PixelFormat::kGray8) return src;
  Image dst;
  dst.width = src.width;
  dst.height = src.height;
  dst.format = PixelFormat::kGray8;
  dst.pixels.resize(static_cast<size_t>(src.width) * src.height);
  for (size_t i = 0; i < dst.pixels.size(); ++i) {
    const uint8_t* p = &src.pixels[i * 3];
    // ITU-R BT.601 luma, in integers.
    dst.pixels[i] = static_cast<uint8_t>(
        (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
  }
  return dst;
}

}  // namespace

const char* ViewName(View v) {
  switch (v) {
    case View::kBlurred:
      return "blurred";
    case View::kGrayscale:
      return "grayscale";
    case View::kOriginal:
      return "original";
  }
  return "blurred";
}

Result<View> ParseView(std::string_view name) {
  for (View v : {View::kBlurred, View::kGrayscale, View::kOriginal}) {
    if (name == ViewName(v)) return v;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown view '" + std::string(name) +
                       "' (blurred, grayscale or original)");
}

Result<RenderedView> RenderView(std::span<const uint8_t> bytes, View view,
                                const std::string& reason,
                                const ViewOptions& options) {
  const media::ImageFormat format = media::SniffFormat(bytes);
  if (view == View::kOriginal) {
    if (reason.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the original image is shown only with a reason");
    }
    return RenderedView{
        std::vector<uint8_t>(bytes.begin(), bytes.end()),
        format == media::ImageFormat::kUnknown
            ? "application/octet-stream"
            : std::string("image/") + media::ImageFormatName(format)};
  }
  if (options.blur_side < 1 || options.blurred_side < 1 ||
      options.grayscale_side < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "view sizes must be >= 1");
  }
  media::DecodeOptions decode;
  decode.limits = options.limits;
  // A reduced view needs no more than this many pixels on the short side;
  // JPEGs may decode at reduced scale, which is also cheaper.
  decode.min_side_hint = std::max(options.blurred_side, options.grayscale_side);
  auto image = media::DecodeImage(bytes, decode);
  if (!image.ok()) return image.error();
  Image shown;
  if (view == View::kBlurred) {
    auto [w, h] = Fit(*image, options.blur_side);
    const Image blocks = AreaReduce(*image, w, h);
    // Scale the blocks back up by a whole factor so every block is the same
    // size on screen.
    const int factor = std::max(1, options.blurred_side / std::max(w, h));
    shown = media::ResizeNearest(blocks, w * factor, h * factor);
  } else {
    const Image gray = ToGray(*image);
    auto [w, h] = Fit(gray, options.grayscale_side);
    shown = AreaReduce(gray, w, h);
  }
  auto jpeg = media::EncodeJpeg(shown);
  if (!jpeg.ok()) return jpeg.error();
  return RenderedView{std::move(*jpeg), "image/jpeg"};
}

}  // namespace bulwark::incident

#include "bulwark/classify/preprocess.h"

#include <gtest/gtest.h>

#include <vector>

#include "bulwark/media/orientation.h"
#include "support/synthetic_image.h"

namespace bulwark::classify {
namespace {

using media::Image;
using media::Orientation;
using media::PixelFormat;

// Identity normalisation, so expected values are plain sample arithmetic.
InputSpec Spec(int width, int height, ResizeMethod resize) {
  InputSpec spec;
  spec.width = width;
  spec.height = height;
  spec.layout = TensorLayout::kNchw;
  spec.colour_order = ColourOrder::kRgb;
  spec.resize = resize;
  spec.mean = {0, 0, 0};
  spec.std = {1, 1, 1};
  return spec;
}

Image Rgb(int width, int height, std::vector<uint8_t> pixels) {
  Image image;
  image.width = width;
  image.height = height;
  image.format = PixelFormat::kRgb8;
  image.pixels = std::move(pixels);
  return image;
}

std::vector<float> Tensor(const InputSpec& spec, const Image& image) {
  Preprocessor p(spec);
  std::vector<float> tensor(p.tensor_size(), -1.0f);
  p.Run(image, tensor);
  return tensor;
}

// Red channel of a 2x2 image: 0 100 / 200 255 (green = red + 1, blue 7).
Image TwoByTwo() {
  return Rgb(2, 2, {0, 1, 7, 100, 101, 7, 200, 201, 7, 255, 0, 7});
}

TEST(Preprocess, AlignCornersUpscaleMatchesHandComputedValues) {
  // 2 -> 3 with aligned corners samples at 0, 0.5 and 1 on both axes.
  const std::vector<float> t =
      Tensor(Spec(3, 3, ResizeMethod::kBilinearAlignCorners), TwoByTwo());
  const std::vector<float> red(t.begin(), t.begin() + 9);
  EXPECT_EQ(red, (std::vector<float>{0, 50, 100,            //
                                     100, 138.75f, 177.5f,  //
                                     200, 227.5f, 255}));
  // Green wraps from 201 to 0 on the bottom right.
  EXPECT_FLOAT_EQ(t[9 + 4], (1 + 101 + 201 + 0) / 4.0f);
  for (int i = 18; i < 27; ++i) EXPECT_EQ(t[i], 7.0f);  // flat blue
}

TEST(Preprocess, AlignCornersDownscaleTakesEveryOtherSample) {
  // 5 -> 3: (5 - 1) / (3 - 1) = 2, so samples 0, 2 and 4 exactly.
  Image row = Rgb(5, 1, {10, 0, 0, 20, 0, 0, 30, 0, 0, 40, 0, 0, 50, 0, 0});
  const std::vector<float> t =
      Tensor(Spec(3, 1, ResizeMethod::kBilinearAlignCorners), row);
  EXPECT_EQ(std::vector<float>(t.begin(), t.begin() + 3),
            (std::vector<float>{10, 30, 50}));
}

TEST(Preprocess, HalfPixelCentresAverageNeighbours) {
  // 4 -> 2: source = (x + 0.5) * 2 - 0.5 = 0.5 and 2.5.
  Image row = Rgb(4, 1, {10, 0, 0, 20, 0, 0, 30, 0, 0, 41, 0, 0});
  const std::vector<float> t =
      Tensor(Spec(2, 1, ResizeMethod::kBilinearHalfPixel), row);
  EXPECT_EQ(std::vector<float>(t.begin(), t.begin() + 2),
            (std::vector<float>{15, 35.5f}));
  // 2 -> 4: the outer samples fall before the first and after the last
  // source centre and are clamped to them, as TF.js does.
  Image pair = Rgb(2, 1, {0, 0, 0, 100, 0, 0});
  const std::vector<float> up =
      Tensor(Spec(4, 1, ResizeMethod::kBilinearHalfPixel), pair);
  EXPECT_EQ(std::vector<float>(up.begin(), up.begin() + 4),
            (std::vector<float>{0, 25, 75, 100}));
}

TEST(Preprocess, SameSizeIsTheNormalisedImage) {
  InputSpec spec = Spec(2, 2, ResizeMethod::kBilinearAlignCorners);
  spec.std = {255, 255, 255};
  const std::vector<float> t = Tensor(spec, TwoByTwo());
  // nsfwjs skips the resize at the model's size; the result is x / 255.
  EXPECT_EQ(t[3], static_cast<float>(255.0 / 255.0));
  EXPECT_EQ(t[1], static_cast<float>(100.0 / 255.0));
  EXPECT_EQ(t[4 + 2], static_cast<float>(201.0 / 255.0));
}

TEST(Preprocess, NormalisesBeforeInterpolatingAsTfjsDoes) {
  InputSpec spec = Spec(3, 1, ResizeMethod::kBilinearAlignCorners);
  spec.std = {255, 255, 255};
  const std::vector<float> t = Tensor(spec, Rgb(2, 1, {1, 0, 0, 2, 0, 0}));
  // f32(1/255) and f32(2/255) interpolated in double, then rounded.
  const double a = static_cast<float>(1.0 / 255.0);
  const double b = static_cast<float>(2.0 / 255.0);
  EXPECT_EQ(t[1], static_cast<float>(a + (b - a) * 0.5));
}

TEST(Preprocess, MeanAndStdPerChannel) {
  InputSpec spec = Spec(1, 1, ResizeMethod::kBilinearAlignCorners);
  spec.mean = {10, 20, 30};
  spec.std = {2, 4, 8};
  const std::vector<float> t = Tensor(spec, Rgb(1, 1, {50, 60, 70}));
  EXPECT_EQ(t, (std::vector<float>{20, 10, 5}));
}

TEST(Preprocess, BgrOrderAndNhwcLayout) {
  InputSpec spec = Spec(2, 2, ResizeMethod::kBilinearAlignCorners);
  spec.colour_order = ColourOrder::kBgr;
  spec.layout = TensorLayout::kNhwc;
  const std::vector<float> t = Tensor(spec, TwoByTwo());
  EXPECT_EQ(t, (std::vector<float>{7, 1, 0, 7, 101, 100,  //
                                   7, 201, 200, 7, 0, 255}));
}

TEST(Preprocess, GreyIsReadAsEqualRgb) {
  const Image grey =
      testing::SyntheticImage(31, 17, PixelFormat::kGray8, /*seed=*/3);
  const InputSpec spec = Spec(12, 9, ResizeMethod::kBilinearAlignCorners);
  EXPECT_EQ(Tensor(spec, grey), Tensor(spec, testing::GreyAsRgb(grey)));
  const std::vector<float> t = Tensor(spec, grey);
  const size_t plane = 12 * 9;
  for (size_t i = 0; i < plane; ++i) {
    ASSERT_EQ(t[i], t[plane + i]);
    ASSERT_EQ(t[i], t[2 * plane + i]);
  }
}

TEST(Preprocess, ReadsEveryOrientationAsTheUprightImage) {
  for (PixelFormat format : {PixelFormat::kRgb8, PixelFormat::kGray8}) {
    Image stored = testing::SyntheticImage(37, 23, format, /*seed=*/9);
    for (int o = 1; o <= 8; ++o) {
      stored.orientation = static_cast<Orientation>(o);
      const Image upright = media::ApplyOrientation(stored);
      for (ResizeMethod resize : {ResizeMethod::kBilinearAlignCorners,
                                  ResizeMethod::kBilinearHalfPixel}) {
        const InputSpec spec = Spec(16, 11, resize);
        EXPECT_EQ(Tensor(spec, stored), Tensor(spec, upright))
            << "orientation " << o << " format " << media::ChannelCount(format);
      }
    }
  }
}

TEST(Preprocess, OnePixelImageFillsTheTensor) {
  InputSpec spec = Spec(4, 3, ResizeMethod::kBilinearAlignCorners);
  const std::vector<float> t = Tensor(spec, Rgb(1, 1, {9, 8, 7}));
  for (size_t i = 0; i < t.size(); ++i) {
    ASSERT_EQ(t[i], i < 12 ? 9 : i < 24 ? 8 : 7) << i;
  }
}

}  // namespace
}  // namespace bulwark::classify

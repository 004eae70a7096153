#include "bulwark/media/gif_decoder.h"

#include <gtest/gtest.h>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;
using testing::GifFrame;

const Bytes kPalette = {0,   0,   0,    // 0 black
                        255, 0,   0,    // 1 red
                        0,   255, 0,    // 2 green
                        0,   0,   255,  // 3 blue
                        9,   9,   9};   // 4 background grey

Result<Image> Decode(const Bytes& b) { return GifDecoder().Decode(b, {}); }

GifFrame Frame(int left, int top, int w, int h, Bytes indices) {
  GifFrame f;
  f.left = left;
  f.top = top;
  f.width = w;
  f.height = h;
  f.indices = std::move(indices);
  return f;
}

Bytes Indices(int w, int h, int seed) {
  Bytes out(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < out.size(); ++i) out[i] = (i * 7 + seed + i / w) % 4;
  return out;
}

void ExpectPixel(const Image& img, int x, int y, int index) {
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(img.row(y)[x * 3 + c], kPalette[index * 3 + c])
        << "pixel " << x << "," << y;
  }
}

TEST(GifDecoderTest, FirstFrameOnLogicalScreen) {
  GifFrame first = Frame(2, 1, 3, 2, Indices(3, 2, 0));
  GifFrame second = Frame(0, 0, 6, 4, Indices(6, 4, 1));
  Result<Image> r =
      Decode(testing::EncodeGif(6, 4, kPalette, 4, {first, second}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 6);
  EXPECT_EQ(r->height, 4);
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 6; ++x) {
      const bool inside = x >= 2 && x < 5 && y >= 1 && y < 3;
      ExpectPixel(*r, x, y, inside ? first.indices[(y - 1) * 3 + (x - 2)] : 4);
    }
  }
}

TEST(GifDecoderTest, InterlacedRowsAreReordered) {
  GifFrame f = Frame(0, 0, 5, 11, Indices(5, 11, 2));
  f.interlace = true;
  Result<Image> r = Decode(testing::EncodeGif(5, 11, kPalette, 0, {f}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (int y = 0; y < 11; ++y) {
    for (int x = 0; x < 5; ++x) ExpectPixel(*r, x, y, f.indices[y * 5 + x]);
  }
}

TEST(GifDecoderTest, TransparentPixelsKeepPaletteColour) {
  GifFrame f = Frame(0, 0, 2, 1, Bytes{1, 2});
  f.transparent_index = 1;
  Result<Image> r = Decode(testing::EncodeGif(2, 1, kPalette, 4, {f}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ExpectPixel(*r, 0, 0, 1);
  ExpectPixel(*r, 1, 0, 2);
}

TEST(GifDecoderTest, TruncatedIsError) {
  GifFrame f = Frame(0, 0, 32, 32, Indices(32, 32, 3));
  testing::ExpectTruncationsFail(GifDecoder(),
                                 testing::EncodeGif(32, 32, kPalette, 0, {f}));
}

TEST(GifDecoderTest, BitFlipsNeverCrash) {
  GifFrame f = Frame(0, 0, 24, 24, Indices(24, 24, 4));
  GifFrame g = Frame(4, 4, 8, 8, Indices(8, 8, 5));
  g.interlace = true;
  testing::ExpectBitFlipsSafe(
      GifDecoder(), testing::EncodeGif(24, 24, kPalette, 0, {f, g}), 300);
}

TEST(GifDecoderTest, HugeHeaderFailsFast) {
  GifFrame f = Frame(0, 0, 4, 4, Indices(4, 4, 0));
  Bytes gif = testing::EncodeGif(4, 4, kPalette, 0, {f});
  for (int i = 6; i < 10; ++i) gif[i] = 0xFF;  // screen 65535 x 65535
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(testing::PeakMemoryGrowthKiB([&] { r = Decode(gif); }),
            testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error().message,
            "image is 65535x65535, over the 64000000-pixel limit");
}

}  // namespace
}  // namespace bulwark::media

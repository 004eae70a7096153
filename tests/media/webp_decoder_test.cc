#include "bulwark/media/webp_decoder.h"

#include <gtest/gtest.h>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;

Result<Image> Decode(const Bytes& b) { return WebpDecoder().Decode(b, {}); }

TEST(WebpDecoderTest, LosslessRoundTripIsExact) {
  const Image src = testing::Noise(21, 13, PixelFormat::kRgb8, 5);
  Result<Image> r = Decode(testing::EncodeWebpLossless(src));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 21);
  EXPECT_EQ(r->height, 13);
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(WebpDecoderTest, LossyIsClose) {
  const Image src = testing::Gradient(32, 32, PixelFormat::kRgb8);
  Result<Image> r = Decode(testing::EncodeWebpLossy(src, 95));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pixels.size(), src.pixels.size());
  int max_diff = 0;
  for (size_t i = 0; i < src.pixels.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(src.pixels[i] - r->pixels[i]));
  }
  EXPECT_LT(max_diff, 32);
}

TEST(WebpDecoderTest, AlphaIsDroppedNotComposited) {
  const Bytes rgba = {200, 100, 50, 0,   10, 20, 30, 255,
                      1,   2,   3,  128, 4,  5,  6,  7};
  Result<Image> r = Decode(testing::EncodeWebpLosslessRgba(2, 2, rgba));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, (Bytes{200, 100, 50, 10, 20, 30, 1, 2, 3, 4, 5, 6}));
}

TEST(WebpDecoderTest, ExifOrientation) {
  const Image src = testing::Noise(4, 2, PixelFormat::kRgb8, 6);
  Result<Image> r = Decode(testing::WebpWithExif(
      testing::EncodeWebpLossless(src), 4, 2, testing::ExifBlock(3, true)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->orientation, Orientation::kBottomRight);
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(WebpDecoderTest, AnimatedGivesFirstFrameOnCanvas) {
  Image first = testing::Noise(4, 4, PixelFormat::kRgb8, 1);
  Image second = testing::Noise(8, 6, PixelFormat::kRgb8, 2);
  Result<Image> r = Decode(testing::AnimatedWebp(
      8, 6,
      {{testing::EncodeWebpLossless(first), 2, 2, 4, 4},
       {testing::EncodeWebpLossless(second), 0, 0, 8, 6}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 8);
  EXPECT_EQ(r->height, 6);
  for (int y = 0; y < 6; ++y) {
    for (int x = 0; x < 8; ++x) {
      const bool inside = x >= 2 && x < 6 && y >= 2 && y < 6;
      for (int c = 0; c < 3; ++c) {
        const int expected = inside ? first.row(y - 2)[(x - 2) * 3 + c] : 0;
        EXPECT_EQ(r->row(y)[x * 3 + c], expected) << x << "," << y;
      }
    }
  }
}

TEST(WebpDecoderTest, TruncatedIsError) {
  testing::ExpectTruncationsFail(
      WebpDecoder(), testing::EncodeWebpLossless(
                         testing::Noise(32, 32, PixelFormat::kRgb8, 3)));
  testing::ExpectTruncationsFail(
      WebpDecoder(),
      testing::EncodeWebpLossy(testing::Noise(32, 32, PixelFormat::kRgb8, 3)));
}

TEST(WebpDecoderTest, BitFlipsNeverCrash) {
  testing::ExpectBitFlipsSafe(WebpDecoder(),
                              testing::EncodeWebpLossless(testing::Noise(
                                  24, 24, PixelFormat::kRgb8, 4)),
                              300);
  testing::ExpectBitFlipsSafe(
      WebpDecoder(),
      testing::EncodeWebpLossy(testing::Noise(24, 24, PixelFormat::kRgb8, 4)),
      300);
}

TEST(WebpDecoderTest, HugeHeaderFailsFast) {
  // VP8L header after "RIFF....WEBPVP8L" + size + 0x2F: 14 bits width-1,
  // 14 bits height-1, little-endian bit order. All ones: 16384 x 16384.
  Bytes webp =
      testing::EncodeWebpLossless(testing::Gradient(8, 8, PixelFormat::kRgb8));
  ASSERT_EQ(webp[20], 0x2F);
  webp[21] = 0xFF;
  webp[22] = 0xFF;
  webp[23] = 0xFF;
  webp[24] |= 0x0F;
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(testing::PeakMemoryGrowthKiB([&] { r = Decode(webp); }),
            testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded) << r.error().message;
}

}  // namespace
}  // namespace bulwark::media

#include "bulwark/media/png_decoder.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;
using testing::PngOptions;

Result<Image> Decode(const Bytes& png) { return PngDecoder().Decode(png, {}); }

TEST(PngDecoderTest, RgbRoundTripIsExact) {
  const Image src = testing::Noise(19, 11, PixelFormat::kRgb8, 7);
  Result<Image> r = Decode(testing::EncodePng(src));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 19);
  EXPECT_EQ(r->height, 11);
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(PngDecoderTest, GreyStaysGrey) {
  const Image src = testing::Noise(9, 5, PixelFormat::kGray8, 8);
  Result<Image> r = Decode(testing::EncodePng(src));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kGray8);
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(PngDecoderTest, InterlacedRoundTripIsExact) {
  const Image src = testing::Noise(33, 17, PixelFormat::kRgb8, 9);
  Result<Image> r = Decode(testing::EncodePng(src, /*interlace=*/true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(PngDecoderTest, SixteenBitScalesWithRounding) {
  PngOptions o;
  o.color_type = 0;  // grey
  o.bit_depth = 16;
  const std::vector<uint16_t> samples = {0x0000, 0x0080, 0x0081, 0x8080,
                                         0x807F, 0xFFFF, 0x00FF, 0x0101};
  Result<Image> r = Decode(testing::EncodePng(8, 1, samples, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->format, PixelFormat::kGray8);
  for (size_t i = 0; i < samples.size(); ++i) {
    // round(v * 255 / 65535): 0x0080 -> 0.498 -> 0, 0x0081 -> 0.502 -> 1.
    const int expected = static_cast<int>(samples[i] * 255.0 / 65535.0 + 0.5);
    EXPECT_EQ(r->pixels[i], expected) << "sample " << samples[i];
  }
  EXPECT_EQ(r->pixels[1], 0);
  EXPECT_EQ(r->pixels[2], 1);
  EXPECT_EQ(r->pixels[3], 128);
  EXPECT_EQ(r->pixels[5], 255);
}

TEST(PngDecoderTest, SixteenBitRgbaDropsAlpha) {
  PngOptions o;
  o.color_type = 6;
  o.bit_depth = 16;
  const std::vector<uint16_t> samples = {0xFFFF, 0x8080, 0x0000, 0x0000,
                                         0x1234, 0x5678, 0x9ABC, 0x8000};
  Result<Image> r = Decode(testing::EncodePng(2, 1, samples, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->format, PixelFormat::kRgb8);
  // Alpha 0 does not blacken the stored colour.
  EXPECT_EQ(r->pixels, (Bytes{255, 128, 0, 0x12, 0x56, 0x9A}));
}

TEST(PngDecoderTest, GreyAlphaBecomesGrey) {
  PngOptions o;
  o.color_type = 4;
  const std::vector<uint16_t> samples = {10, 0, 200, 255, 77, 128};
  Result<Image> r = Decode(testing::EncodePng(3, 1, samples, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kGray8);
  EXPECT_EQ(r->pixels, (Bytes{10, 200, 77}));
}

TEST(PngDecoderTest, LowBitGreyExpandsToFullRange) {
  for (int bits : {1, 2, 4}) {
    SCOPED_TRACE(bits);
    PngOptions o;
    o.color_type = 0;
    o.bit_depth = bits;
    const uint16_t max = static_cast<uint16_t>((1 << bits) - 1);
    const std::vector<uint16_t> samples = {0, max, 0, max, 1, 0, max, 0, 0};
    Result<Image> r = Decode(testing::EncodePng(9, 1, samples, o));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->format, PixelFormat::kGray8);
    EXPECT_EQ(r->pixels[0], 0);
    EXPECT_EQ(r->pixels[1], 255);
    EXPECT_EQ(r->pixels[4], 255 / max);
  }
}

TEST(PngDecoderTest, PaletteWithTransparencyKeepsColours) {
  PngOptions o;
  o.color_type = 3;
  o.bit_depth = 4;
  o.palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  o.trns = {0, 128};  // entry 0 fully transparent
  const std::vector<uint16_t> samples = {0, 1, 2, 2, 1, 0};
  Result<Image> r = Decode(testing::EncodePng(3, 2, samples, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  EXPECT_EQ(r->pixels, (Bytes{255, 0, 0, 0, 255, 0, 0, 0, 255,  //
                              0, 0, 255, 0, 255, 0, 255, 0, 0}));
}

TEST(PngDecoderTest, ExifOrientation) {
  for (bool big_endian : {false, true}) {
    PngOptions o;
    o.color_type = 0;
    o.exif = testing::ExifBlock(8, big_endian);
    Result<Image> r = Decode(testing::EncodePng(2, 2, {1, 2, 3, 4}, o));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->orientation, Orientation::kLeftBottom);
    EXPECT_EQ(r->pixels, (Bytes{1, 2, 3, 4}));
  }
}

// Finds a chunk's type field offset.
size_t FindChunk(const Bytes& png, const char* type) {
  for (size_t i = 8; i + 8 <= png.size(); i++) {
    if (std::memcmp(&png[i], type, 4) == 0) return i;
  }
  return 0;
}

TEST(PngDecoderTest, CrcErrorIsReported) {
  Bytes png = testing::EncodePng(testing::Noise(8, 8, PixelFormat::kRgb8, 1));
  const size_t idat = FindChunk(png, "IDAT");
  ASSERT_NE(idat, 0u);
  png[idat + 6] ^= 0x01;  // a data byte; CRC now wrong
  Result<Image> r = Decode(png);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(r.error().message, "PNG CRC error in chunk IDAT");
}

TEST(PngDecoderTest, TruncatedIsError) {
  const Bytes png =
      testing::EncodePng(testing::Noise(32, 32, PixelFormat::kRgb8, 2));
  testing::ExpectTruncationsFail(PngDecoder(), png);
  const Bytes cut(png.begin(), png.begin() + png.size() / 2);
  Result<Image> r = Decode(cut);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "PNG data ends early (truncated file)");
}

TEST(PngDecoderTest, BitFlipsNeverCrash) {
  testing::ExpectBitFlipsSafe(
      PngDecoder(),
      testing::EncodePng(testing::Noise(24, 24, PixelFormat::kRgb8, 3), true),
      300);
}

Bytes WithSize(Bytes png, uint32_t w, uint32_t h) {
  for (int i = 0; i < 4; ++i) {
    png[16 + i] = static_cast<uint8_t>(w >> (24 - 8 * i));
    png[20 + i] = static_cast<uint8_t>(h >> (24 - 8 * i));
  }
  // Fix the IHDR CRC so the size, not the checksum, is what fails.
  const uint32_t crc = static_cast<uint32_t>(crc32(0, &png[12], 17));
  for (int i = 0; i < 4; ++i) {
    png[29 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
  }
  return png;
}

TEST(PngDecoderTest, HugeHeaderFailsFast) {
  const Bytes png =
      testing::EncodePng(testing::Gradient(8, 8, PixelFormat::kRgb8));
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(testing::PeakMemoryGrowthKiB(
                [&] { r = Decode(WithSize(png, 100000, 100000)); }),
            testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error().message,
            "image is 100000x100000, over the 64000000-pixel limit");
  EXPECT_LT(
      testing::PeakMemoryGrowthKiB([&] {
        r = Decode(WithSize(png, 20000, 20000));  // within libpng's limits
      }),
      testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  r = Decode(WithSize(png, 0, 8));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace bulwark::media

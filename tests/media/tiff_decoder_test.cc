#include "bulwark/media/tiff_decoder.h"

#include <gtest/gtest.h>
#include <tiffio.h>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;
using testing::TiffOptions;

Result<Image> Decode(const Bytes& b) { return TiffDecoder().Decode(b, {}); }

TEST(TiffDecoderTest, GreyAndRgbRoundTrip) {
  for (PixelFormat f : {PixelFormat::kGray8, PixelFormat::kRgb8}) {
    for (uint16_t compression :
         {COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE}) {
      SCOPED_TRACE(compression);
      const Image src = testing::Noise(13, 9, f, 7);
      TiffOptions o;
      o.compression = compression;
      Result<Image> r = Decode(testing::EncodeTiff(src, o));
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->format, f);
      EXPECT_EQ(r->width, 13);
      EXPECT_EQ(r->height, 9);
      EXPECT_EQ(r->pixels, src.pixels);
    }
  }
}

TEST(TiffDecoderTest, SixteenBitAlphaAndMinIsWhite) {
  const Image rgb = testing::Noise(6, 4, PixelFormat::kRgb8, 8);
  TiffOptions o;
  o.bits = 16;
  o.alpha = true;
  Result<Image> r = Decode(testing::EncodeTiff(rgb, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, rgb.pixels);  // v*257 scales back exactly

  const Image grey = testing::Noise(6, 4, PixelFormat::kGray8, 9);
  TiffOptions w;
  w.min_is_white = true;
  r = Decode(testing::EncodeTiff(grey, w));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kGray8);
  EXPECT_EQ(r->pixels, grey.pixels);
}

TEST(TiffDecoderTest, PaletteGoesThroughRgba) {
  const Bytes palette = {10, 20, 30, 200, 100, 0, 0, 0, 255};
  const Bytes indices = {0, 1, 2, 2, 1, 0};
  Result<Image> r = Decode(testing::EncodePaletteTiff(3, 2, indices, palette));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  EXPECT_EQ(r->pixels, (Bytes{10, 20, 30, 200, 100, 0, 0, 0, 255,  //
                              0, 0, 255, 200, 100, 0, 10, 20, 30}));
}

TEST(TiffDecoderTest, OrientationTagIsReportedPixelsAsStored) {
  const Image src = testing::Noise(5, 3, PixelFormat::kRgb8, 10);
  TiffOptions o;
  o.orientation = 6;
  Result<Image> r = Decode(testing::EncodeTiff(src, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->orientation, Orientation::kRightTop);
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(TiffDecoderTest, TruncatedIsError) {
  for (uint16_t compression : {COMPRESSION_NONE, COMPRESSION_LZW}) {
    TiffOptions o;
    o.compression = compression;
    testing::ExpectTruncationsFail(
        TiffDecoder(),
        testing::EncodeTiff(testing::Noise(24, 24, PixelFormat::kRgb8, 11), o));
  }
}

TEST(TiffDecoderTest, BitFlipsNeverCrash) {
  TiffOptions o;
  o.compression = COMPRESSION_LZW;
  testing::ExpectBitFlipsSafe(
      TiffDecoder(),
      testing::EncodeTiff(testing::Noise(16, 16, PixelFormat::kRgb8, 12), o),
      300);
  testing::ExpectBitFlipsSafe(
      TiffDecoder(),
      testing::EncodePaletteTiff(4, 2, {0, 1, 2, 3, 3, 2, 1, 0},
                                 {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
      300);
}

// A classic little-endian TIFF with just the tags libtiff insists on.
Bytes MinimalTiffHeader(uint32_t width, uint32_t height) {
  Bytes b = {'I', 'I', 42, 0, 8, 0, 0, 0};
  auto put16 = [&](uint32_t v) {
    b.push_back(uint8_t(v));
    b.push_back(uint8_t(v >> 8));
  };
  auto put32 = [&](uint32_t v) {
    put16(v & 0xFFFF);
    put16(v >> 16);
  };
  auto entry = [&](uint16_t tag, uint16_t type, uint32_t value) {
    put16(tag);
    put16(type);
    put32(1);
    if (type == 3) {
      put16(value);
      put16(0);
    } else {
      put32(value);
    }
  };
  put16(7);
  entry(256, 4, width);
  entry(257, 4, height);
  entry(258, 3, 8);
  entry(262, 3, 1);  // MinIsBlack
  entry(273, 4, 8);  // StripOffsets
  entry(278, 4, height);
  entry(279, 4, 1);  // StripByteCounts
  put32(0);
  return b;
}

TEST(TiffDecoderTest, HugeHeaderFailsFast) {
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(testing::PeakMemoryGrowthKiB(
                [&] { r = Decode(MinimalTiffHeader(100000, 100000)); }),
            testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded) << r.error().message;
  EXPECT_EQ(r.error().message,
            "image is 100000x100000, over the 64000000-pixel limit");
  r = Decode(MinimalTiffHeader(0, 5));
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace bulwark::media

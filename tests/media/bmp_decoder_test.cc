#include "bulwark/media/bmp_decoder.h"

#include <gtest/gtest.h>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::BmpOptions;
using testing::Bytes;

Result<Image> Decode(const Bytes& b) { return BmpDecoder().Decode(b, {}); }

TEST(BmpDecoderTest, TwentyFourBitBottomUpAndTopDown) {
  const Image src = testing::Noise(7, 5, PixelFormat::kRgb8, 1);  // padded rows
  for (bool top_down : {false, true}) {
    for (int header : {40, 108, 124}) {
      SCOPED_TRACE(header);
      BmpOptions o;
      o.top_down = top_down;
      o.header_size = header;
      Result<Image> r = Decode(testing::EncodeBmp(src, o));
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->width, 7);
      EXPECT_EQ(r->height, 5);
      EXPECT_EQ(r->format, PixelFormat::kRgb8);
      EXPECT_EQ(r->pixels, src.pixels);
    }
  }
}

TEST(BmpDecoderTest, CoreHeader) {
  const Image src = testing::Noise(3, 3, PixelFormat::kRgb8, 2);
  BmpOptions o;
  o.header_size = 12;
  Result<Image> r = Decode(testing::EncodeBmp(src, o));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, src.pixels);
}

TEST(BmpDecoderTest, PaletteDepths) {
  for (int bpp : {1, 4, 8}) {
    SCOPED_TRACE(bpp);
    Image indices;
    indices.width = 11;
    indices.height = 3;
    indices.format = PixelFormat::kGray8;
    BmpOptions o;
    o.bpp = bpp;
    const int n = 1 << std::min(bpp, 4);
    for (int i = 0; i < n; ++i) {
      o.palette.insert(o.palette.end(),
                       {uint8_t(i * 16), uint8_t(255 - i), uint8_t(i * 3)});
    }
    for (int i = 0; i < 33; ++i) indices.pixels.push_back(uint8_t((i * 5) % n));
    Result<Image> r = Decode(testing::EncodeBmp(indices, o));
    ASSERT_TRUE(r.ok()) << r.error().message;
    for (int i = 0; i < 33; ++i) {
      const int idx = indices.pixels[i];
      EXPECT_EQ(r->pixels[i * 3], o.palette[idx * 3]);
      EXPECT_EQ(r->pixels[i * 3 + 1], o.palette[idx * 3 + 1]);
      EXPECT_EQ(r->pixels[i * 3 + 2], o.palette[idx * 3 + 2]);
    }
  }
}

TEST(BmpDecoderTest, SixteenAndThirtyTwoBit) {
  Image src = testing::Noise(5, 4, PixelFormat::kRgb8, 3);
  // 5-5-5 and 5-6-5 lose low bits; use values that survive exactly.
  for (size_t i = 0; i < src.pixels.size(); ++i) {
    src.pixels[i] = (i % 2) ? 255 : 0;
  }
  BmpOptions o16;
  o16.bpp = 16;
  Result<Image> r = Decode(testing::EncodeBmp(src, o16));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, src.pixels);

  BmpOptions o565 = o16;
  o565.bitfields = true;
  o565.masks[0] = 0xF800;
  o565.masks[1] = 0x07E0;
  o565.masks[2] = 0x001F;
  r = Decode(testing::EncodeBmp(src, o565));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, src.pixels);

  const Image noise = testing::Noise(5, 4, PixelFormat::kRgb8, 4);
  BmpOptions o32;
  o32.bpp = 32;
  r = Decode(testing::EncodeBmp(noise, o32));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, noise.pixels);

  for (int header : {40, 124}) {
    BmpOptions ob = o32;
    ob.header_size = header;
    ob.bitfields = true;
    ob.masks[0] = 0x0000FF00;  // unusual layout: B G R X in high-to-low
    ob.masks[1] = 0x00FF0000;
    ob.masks[2] = 0xFF000000;
    r = Decode(testing::EncodeBmp(noise, ob));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->pixels, noise.pixels);
  }
}

TEST(BmpDecoderTest, RleIsUnsupported) {
  Bytes bmp =
      testing::EncodeBmp(testing::Gradient(4, 4, PixelFormat::kRgb8), {});
  bmp[30] = 1;  // BI_RLE8
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(testing::PeakMemoryGrowthKiB([&] { r = Decode(bmp); }),
            testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
}

TEST(BmpDecoderTest, TruncatedIsError) {
  testing::ExpectTruncationsFail(
      BmpDecoder(),
      testing::EncodeBmp(testing::Noise(16, 16, PixelFormat::kRgb8, 5), {}));
}

TEST(BmpDecoderTest, BitFlipsNeverCrash) {
  testing::ExpectBitFlipsSafe(
      BmpDecoder(),
      testing::EncodeBmp(testing::Noise(9, 9, PixelFormat::kRgb8, 6), {}), 300);
  BmpOptions o;
  o.bpp = 32;
  o.bitfields = true;
  o.masks[0] = 0xFF0000;
  o.masks[1] = 0xFF00;
  o.masks[2] = 0xFF;
  testing::ExpectBitFlipsSafe(
      BmpDecoder(),
      testing::EncodeBmp(testing::Noise(9, 9, PixelFormat::kRgb8, 6), o), 300);
}

TEST(BmpDecoderTest, HugeHeaderFailsFast) {
  Bytes bmp =
      testing::EncodeBmp(testing::Gradient(4, 4, PixelFormat::kRgb8), {});
  const uint32_t big = 100000;
  for (int i = 0; i < 4; ++i) {
    bmp[18 + i] = static_cast<uint8_t>(big >> (8 * i));
    bmp[22 + i] = static_cast<uint8_t>(big >> (8 * i));
  }
  Result<Image> r = Decode(bmp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error().message,
            "image is 100000x100000, over the 64000000-pixel limit");
  bmp[22] = bmp[23] = bmp[24] = bmp[25] = 0;  // zero height
  r = Decode(bmp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace bulwark::media

#include "bulwark/media/jpeg_decoder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include <jpeglib.h>

#include "support/decode_checks.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;

void Quiet(j_common_ptr) {}

// Decodes with plain libjpeg and nothing but its defaults (what djpeg does),
// as the reference our decoder must match exactly. `out_space` JCS_CMYK
// returns raw CMYK samples.
Bytes ReferenceDecode(const Bytes& jpeg, J_COLOR_SPACE out_space, int* w,
                      int* h) {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  err.output_message = Quiet;
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, jpeg.data(), jpeg.size());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = out_space;
  jpeg_start_decompress(&cinfo);
  *w = static_cast<int>(cinfo.output_width);
  *h = static_cast<int>(cinfo.output_height);
  const size_t stride = size_t(*w) * cinfo.output_components;
  Bytes out(stride * *h);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.data() + cinfo.output_scanline * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return out;
}

Bytes AsApp1(const Bytes& tiff) {
  Bytes app1(6 + tiff.size(), 0);
  std::memcpy(app1.data(), "Exif", 4);
  std::copy(tiff.begin(), tiff.end(), app1.begin() + 6);
  return app1;
}

TEST(JpegDecoderTest, RgbMatchesLibjpegDefaults) {
  const Image src = testing::Gradient(37, 23, PixelFormat::kRgb8);
  const Bytes jpeg = testing::EncodeJpeg(src);
  Result<Image> r = JpegDecoder().Decode(jpeg, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 37);
  EXPECT_EQ(r->height, 23);
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  EXPECT_EQ(r->orientation, Orientation::kTopLeft);
  int w, h;
  EXPECT_EQ(r->pixels, ReferenceDecode(jpeg, JCS_RGB, &w, &h));
  // And it is close to the source.
  int max_diff = 0;
  for (size_t i = 0; i < src.pixels.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(src.pixels[i] - r->pixels[i]));
  }
  EXPECT_LT(max_diff, 24);
}

TEST(JpegDecoderTest, GreyStaysGrey) {
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Gradient(16, 9, PixelFormat::kGray8));
  Result<Image> r = JpegDecoder().Decode(jpeg, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kGray8);
  int w, h;
  EXPECT_EQ(r->pixels, ReferenceDecode(jpeg, JCS_GRAYSCALE, &w, &h));
}

TEST(JpegDecoderTest, ProgressiveMatchesReference) {
  testing::JpegOptions o;
  o.progressive = true;
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Noise(40, 30, PixelFormat::kRgb8, 3), o);
  Result<Image> r = JpegDecoder().Decode(jpeg, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  int w, h;
  EXPECT_EQ(r->pixels, ReferenceDecode(jpeg, JCS_RGB, &w, &h));
}

TEST(JpegDecoderTest, TooManyProgressiveScansIsLimit) {
  testing::JpegOptions o;
  o.progressive = true;  // jpeg_simple_progression writes 10 scans
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Noise(16, 16, PixelFormat::kRgb8, 4), o);
  DecodeOptions options;
  options.limits.max_jpeg_scans = 3;
  Result<Image> r = JpegDecoder().Decode(jpeg, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(r.error().message.find("scans"), std::string::npos);
}

TEST(JpegDecoderTest, CmykUsesImageMagickFormula) {
  Bytes cmyk;
  for (int i = 0; i < 16 * 8; ++i) {
    cmyk.insert(cmyk.end(), {uint8_t(i * 2), uint8_t(255 - i), uint8_t(i * 7),
                             uint8_t(128 + i % 128)});
  }
  const Bytes jpeg = testing::EncodeCmykJpeg(16, 8, cmyk);
  Result<Image> r = JpegDecoder().Decode(jpeg, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, PixelFormat::kRgb8);
  int w, h;
  const Bytes raw = ReferenceDecode(jpeg, JCS_CMYK, &w, &h);
  for (int i = 0; i < w * h; ++i) {
    const int k = raw[i * 4 + 3];
    for (int c = 0; c < 3; ++c) {
      const double expected = 255.0 * (raw[i * 4 + c] / 255.0) * (k / 255.0);
      EXPECT_EQ(r->pixels[i * 3 + c], static_cast<int>(expected + 0.5));
    }
  }
}

TEST(JpegDecoderTest, CmykToRgbSpotValues) {
  uint8_t rgb[3];
  const uint8_t white[4] = {255, 255, 255, 255};  // inverted: no ink
  CmykToRgb(white, rgb);
  EXPECT_EQ(rgb[0], 255);
  const uint8_t black[4] = {255, 255, 255, 0};  // inverted: full black
  CmykToRgb(black, rgb);
  EXPECT_EQ(rgb[0], 0);
  const uint8_t mid[4] = {128, 64, 200, 128};
  CmykToRgb(mid, rgb);
  EXPECT_EQ(rgb[0], 64);   // 128*128/255 = 64.25
  EXPECT_EQ(rgb[1], 32);   // 64*128/255 = 32.1
  EXPECT_EQ(rgb[2], 100);  // 200*128/255 = 100.4
}

TEST(JpegDecoderTest, ScalesDownToHint) {
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Gradient(800, 400, PixelFormat::kRgb8));
  DecodeOptions o;
  o.min_side_hint = 100;  // 400 * 2/8 = 100 is the smallest that fits
  Result<Image> r = JpegDecoder().Decode(jpeg, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 200);
  EXPECT_EQ(r->height, 100);
  EXPECT_EQ(r->source_width, 800);  // the encoded size stays known
  EXPECT_EQ(r->source_height, 400);
  o.min_side_hint = 101;  // 3/8 would fit, but only 1/2, 1/4, 1/8 are cheap
  r = JpegDecoder().Decode(jpeg, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->height, 200);
  o.min_side_hint = 5000;  // never upscale
  r = JpegDecoder().Decode(jpeg, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->width, 800);
}

TEST(JpegDecoderTest, ExifOrientationBothByteOrders) {
  for (bool big_endian : {false, true}) {
    testing::JpegOptions o;
    o.app1 = AsApp1(testing::ExifBlock(6, big_endian));
    const Bytes jpeg =
        testing::EncodeJpeg(testing::Gradient(8, 8, PixelFormat::kRgb8), o);
    Result<Image> r = JpegDecoder().Decode(jpeg, {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->orientation, Orientation::kRightTop);
    EXPECT_EQ(r->width, 8);  // pixels as stored
  }
}

TEST(JpegDecoderTest, MalformedExifIsIgnored) {
  Bytes exif = testing::ExifBlock(6, false);
  exif[4] = 0xF0;  // IFD0 offset far past the block
  testing::JpegOptions o;
  o.app1 = AsApp1(exif);
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Gradient(8, 8, PixelFormat::kRgb8), o);
  Result<Image> r = JpegDecoder().Decode(jpeg, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->orientation, Orientation::kTopLeft);
}

TEST(JpegDecoderTest, TruncatedIsError) {
  const Bytes jpeg =
      testing::EncodeJpeg(testing::Noise(32, 32, PixelFormat::kRgb8, 1));
  testing::ExpectTruncationsFail(JpegDecoder(), jpeg);
  const Bytes cut(jpeg.begin(), jpeg.begin() + jpeg.size() / 2);
  Result<Image> r = JpegDecoder().Decode(cut, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "JPEG data ends early (truncated file)");
}

TEST(JpegDecoderTest, BitFlipsNeverCrash) {
  testing::JpegOptions o;
  o.progressive = true;
  testing::ExpectBitFlipsSafe(
      JpegDecoder(),
      testing::EncodeJpeg(testing::Noise(24, 24, PixelFormat::kRgb8, 2)), 300);
  testing::ExpectBitFlipsSafe(
      JpegDecoder(),
      testing::EncodeJpeg(testing::Noise(24, 24, PixelFormat::kRgb8, 2), o),
      300);
}

TEST(JpegDecoderTest, HugeHeaderFailsFast) {
  Bytes jpeg = testing::EncodeJpeg(testing::Gradient(8, 8, PixelFormat::kRgb8));
  // SOF0: FF C0, length(2), precision(1), height(2), width(2).
  size_t sof = 0;
  for (size_t i = 2; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      sof = i;
      break;
    }
  }
  ASSERT_NE(sof, 0u);
  // 40000 x 40000 (0x9C40): within libjpeg's own 65500 limit, so ours
  // must catch it before any buffer is sized.
  jpeg[sof + 5] = jpeg[sof + 7] = 0x9C;
  jpeg[sof + 6] = jpeg[sof + 8] = 0x40;
  Result<Image> r = MakeError(ErrorCode::kInternal, "not run");
  EXPECT_LT(
      testing::PeakMemoryGrowthKiB([&] { r = JpegDecoder().Decode(jpeg, {}); }),
      testing::kHugeHeaderMemoryKiB);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error().message,
            "image is 40000x40000, over the 64000000-pixel limit");
  // Past libjpeg's own limit: still a limit error.
  for (int i = 5; i <= 8; ++i) jpeg[sof + i] = 0xFF;
  r = JpegDecoder().Decode(jpeg, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(JpegDecoderTest, ZeroHeightIsError) {
  Bytes jpeg = testing::EncodeJpeg(testing::Gradient(8, 8, PixelFormat::kRgb8));
  for (size_t i = 2; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = jpeg[i + 6] = 0;
      break;
    }
  }
  EXPECT_FALSE(JpegDecoder().Decode(jpeg, {}).ok());
}

}  // namespace
}  // namespace bulwark::media

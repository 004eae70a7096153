#include "bulwark/media/decoder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "bulwark/core/file.h"
#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;

struct Sample {
  ImageFormat format;
  Bytes bytes;
};

std::vector<Sample> Samples() {
  const Image rgb = testing::Noise(6, 5, PixelFormat::kRgb8, 1);
  testing::GifFrame frame;
  frame.width = 6;
  frame.height = 5;
  frame.indices.assign(30, 1);
  return {
      {ImageFormat::kJpeg, testing::EncodeJpeg(rgb)},
      {ImageFormat::kPng, testing::EncodePng(rgb)},
      {ImageFormat::kWebp, testing::EncodeWebpLossless(rgb)},
      {ImageFormat::kGif,
       testing::EncodeGif(6, 5, {0, 0, 0, 9, 9, 9}, 0, {frame})},
      {ImageFormat::kBmp, testing::EncodeBmp(rgb, {})},
      {ImageFormat::kTiff, testing::EncodeTiff(rgb)},
  };
}

TEST(DecoderTest, SniffsEveryFormatAndDecodes) {
  for (const Sample& s : Samples()) {
    SCOPED_TRACE(ImageFormatName(s.format));
    EXPECT_EQ(SniffFormat(s.bytes), s.format);
    std::unique_ptr<Decoder> d = MakeDecoder(s.format);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->format(), s.format);
    Result<Image> r = DecodeImage(s.bytes, {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->width, 6);
    EXPECT_EQ(r->height, 5);
  }
}

TEST(DecoderTest, FormatNames) {
  EXPECT_STREQ(ImageFormatName(ImageFormat::kJpeg), "jpeg");
  EXPECT_STREQ(ImageFormatName(ImageFormat::kTiff), "tiff");
  EXPECT_STREQ(ImageFormatName(ImageFormat::kUnknown), "unknown");
  EXPECT_EQ(MakeDecoder(ImageFormat::kUnknown), nullptr);
}

TEST(DecoderTest, EmptyInputIsError) {
  Result<Image> r = DecodeImage({}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(SniffFormat({}), ImageFormat::kUnknown);
  // Each decoder on its own refuses empty input too.
  for (const Sample& s : Samples()) {
    EXPECT_FALSE(MakeDecoder(s.format)->Decode({}, {}).ok())
        << ImageFormatName(s.format);
  }
}

TEST(DecoderTest, UnknownMagicIsUnsupported) {
  const Bytes text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  Result<Image> r = DecodeImage(text, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("68 65 6c 6c"), std::string::npos);
}

TEST(DecoderTest, MagicOnlyIsCorrupt) {
  // Each format's magic alone: recognised, then rejected as broken.
  for (const Sample& s : Samples()) {
    const size_t n = s.format == ImageFormat::kWebp ? 12 : 8;
    const Bytes head(s.bytes.begin(), s.bytes.begin() + n);
    Result<Image> r = DecodeImage(head, {});
    EXPECT_FALSE(r.ok()) << ImageFormatName(s.format);
  }
}

TEST(DecoderTest, MaxBytesIsEnforced) {
  const Bytes png =
      testing::EncodePng(testing::Gradient(8, 8, PixelFormat::kRgb8));
  DecodeOptions o;
  o.limits.max_bytes = png.size() - 1;
  Result<Image> r = DecodeImage(png, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(DecoderTest, PixelLimitAppliesToEveryFormat) {
  DecodeOptions o;
  o.limits.max_pixels = 29;  // samples are 6x5 = 30 pixels
  for (const Sample& s : Samples()) {
    Result<Image> r = DecodeImage(s.bytes, o);
    ASSERT_FALSE(r.ok()) << ImageFormatName(s.format);
    EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded)
        << ImageFormatName(s.format) << ": " << r.error().message;
  }
  o.limits.max_pixels = 30;
  o.limits.max_side = 5;
  for (const Sample& s : Samples()) {
    Result<Image> r = DecodeImage(s.bytes, o);
    ASSERT_FALSE(r.ok()) << ImageFormatName(s.format);
    EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  }
}

TEST(DecoderTest, WrongExtensionStillSniffedByBytes) {
  const Image grey = testing::Noise(4, 4, PixelFormat::kGray8, 2);
  const std::string path = ::testing::TempDir() + "bulwark_media_" +
                           std::to_string(getpid()) + "_really_png.jpg";
  {
    const Bytes png = testing::EncodePng(grey);
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(png.data()),
              static_cast<std::streamsize>(png.size()));
  }
  Result<std::vector<uint8_t>> bytes = ReadFile(path, 1 << 20);
  std::remove(path.c_str());
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(SniffFormat(*bytes), ImageFormat::kPng);
  Result<Image> r = DecodeImage(*bytes, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pixels, grey.pixels);
}

}  // namespace
}  // namespace bulwark::media

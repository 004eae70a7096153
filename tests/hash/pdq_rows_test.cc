// HashBytes hashes JPEGs strip by strip as they decode (PdqRowHasher with
// the AVX-512 kernel) when it can. Everything it reports must equal the
// whole-image path (DecodeImage then ComputePdq, which the conformance
// tests check against Meta's reference), and the AVX-512 kernel must equal
// the portable one.
#include <gtest/gtest.h>

#include <dirent.h>

#include <cstring>
#include <string>
#include <vector>

#include "bulwark/hash/file_hasher.h"
#include "bulwark/hash/pdq_blur_avx512.h"
#include "bulwark/hash/pdq_downsample.h"
#include "bulwark/media/decoder.h"
#include "support/image_encoders.h"
#include "support/synthetic_image.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

using media::PixelFormat;

// What HashBytes must report: decode the whole image, then ComputePdq.
hash::FileHashes WholeImage(const std::vector<uint8_t>& bytes,
                            const hash::HashRequest& req) {
  hash::FileHashes out;
  media::DecodeOptions decode = req.decode;
  if (req.pdq_options.mode == hash::PdqMode::kFast) {
    decode.min_side_hint = hash::kFastModeMinSide;
  }
  auto image = media::DecodeImage(bytes, decode);
  if (!image.ok()) {
    out.error = image.error();
    return out;
  }
  out.image = hash::ImageInfo{media::SniffFormat(bytes), image->source_width,
                              image->source_height, image->orientation};
  auto pdq = hash::ComputePdq(*image, req.pdq_options);
  if (pdq.ok()) {
    out.pdq = *pdq;
  } else {
    out.error = pdq.error();
  }
  return out;
}

void ExpectSame(const std::vector<uint8_t>& bytes, const std::string& what) {
  for (hash::PdqMode mode : {hash::PdqMode::kFull, hash::PdqMode::kFast}) {
    for (bool dihedral : {false, true}) {
      SCOPED_TRACE(what + " mode " + hash::PdqModeName(mode) +
                   (dihedral ? " dihedral" : ""));
      hash::HashRequest req;
      req.md5 = req.sha1 = req.sha256 = false;
      req.pdq_options = {mode, dihedral};
      const hash::FileHashes got = hash::HashBytes(bytes, req);
      const hash::FileHashes want = WholeImage(bytes, req);
      ASSERT_EQ(got.error.has_value(), want.error.has_value());
      if (want.error) {
        EXPECT_EQ(got.error->ToString(), want.error->ToString());
      }
      ASSERT_EQ(got.pdq.has_value(), want.pdq.has_value());
      if (want.pdq) {
        EXPECT_EQ(got.pdq->hash.ToHex(), want.pdq->hash.ToHex());
        EXPECT_EQ(got.pdq->quality, want.pdq->quality);
        EXPECT_EQ(got.pdq->dihedral, want.pdq->dihedral);
      }
      ASSERT_EQ(got.image.has_value(), want.image.has_value());
      if (want.image) {
        EXPECT_EQ(got.image->format, want.image->format);
        EXPECT_EQ(got.image->width, want.image->width);
        EXPECT_EQ(got.image->height, want.image->height);
        EXPECT_EQ(got.image->orientation, want.image->orientation);
      }
    }
  }
}

std::vector<std::string> JpegsIn(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".jpg") {
        out.push_back(dir + "/" + name);
      }
    }
    closedir(d);
  }
  return out;
}

TEST(PdqRows, ConformanceJpegsMatchWholeImagePath) {
  std::vector<std::string> files =
      JpegsIn(testing::TestDataDir() + "/pdq/images");
  for (const std::string& f : JpegsIn(testing::SharedPdqDir() + "/images")) {
    files.push_back(f);
  }
  ASSERT_FALSE(files.empty());
  for (const std::string& f : files) ExpectSame(testing::ReadBytes(f), f);
}

TEST(PdqRows, SyntheticJpegsMatchWholeImagePath) {
  // Strip and lane-block edges, windows of 1, thin images, 64x64 (declined:
  // the reference passes it through), sizes below 5 (errors).
  const int sizes[][2] = {{4, 9},     {5, 5},      {7, 300},  {300, 7},
                          {63, 65},   {64, 64},    {65, 64},  {100, 31},
                          {129, 33},  {256, 256},  {257, 97}, {640, 427},
                          {1000, 17}, {1031, 1537}};
  for (const auto& s : sizes) {
    for (PixelFormat f : {PixelFormat::kRgb8, PixelFormat::kGray8}) {
      const media::Image img =
          testing::SyntheticImage(s[0], s[1], f, s[0] * 31 + s[1]);
      ExpectSame(testing::EncodeJpeg(img), std::to_string(s[0]) + "x" +
                                               std::to_string(s[1]) + " " +
                                               std::to_string(int(f)));
    }
  }
  // Progressive.
  testing::JpegOptions progressive;
  progressive.progressive = true;
  ExpectSame(testing::EncodeJpeg(
                 testing::SyntheticImage(333, 222, PixelFormat::kRgb8, 3),
                 progressive),
             "progressive");
}

TEST(PdqRows, ColourJpegOfGreyPixelsHashesByGreyValue) {
  // A grey picture stored as YCbCr decodes to R == G == B everywhere; the
  // streaming path cannot know that until the end and must fall back.
  const media::Image grey =
      testing::SyntheticImage(300, 200, PixelFormat::kGray8, 5);
  const std::vector<uint8_t> jpeg =
      testing::EncodeJpeg(testing::GreyAsRgb(grey));
  auto image = media::DecodeImage(jpeg, {});
  ASSERT_TRUE(image.ok());
  ASSERT_EQ(image->format, PixelFormat::kRgb8);
  ASSERT_TRUE(hash::IsGrey(*image));
  ExpectSame(jpeg, "grey as colour");
}

TEST(PdqRows, CmykJpegMatchesWholeImagePath) {
  std::vector<uint8_t> cmyk(static_cast<size_t>(123) * 77 * 4);
  for (size_t i = 0; i < cmyk.size(); ++i) {
    cmyk[i] = static_cast<uint8_t>((i * 2654435761u) >> 24);
  }
  ExpectSame(testing::EncodeCmykJpeg(123, 77, cmyk), "cmyk");
}

TEST(PdqRows, TruncatedJpegFailsAsWholeImagePathDoes) {
  std::vector<uint8_t> jpeg = testing::EncodeJpeg(
      testing::SyntheticImage(200, 150, PixelFormat::kRgb8, 9));
  jpeg.resize(jpeg.size() / 2);
  ExpectSame(jpeg, "truncated");
  hash::HashRequest req;
  const hash::FileHashes got = hash::HashBytes(jpeg, req);
  EXPECT_TRUE(got.error.has_value());
  EXPECT_FALSE(got.pdq.has_value());
  EXPECT_TRUE(got.md5.has_value());  // digests survive a decode failure
}

// The AVX-512 kernel against the portable one on awkward sizes (the
// streaming test compares the default kernel with the plain
// implementation; this covers whichever one that is not).
TEST(PdqRows, Avx512KernelEqualsPortableKernel) {
  if (!hash::internal::UseAvx512()) GTEST_SKIP() << "no AVX-512 here";
  const int sizes[][2] = {{5, 5},    {6, 300},   {300, 6},   {31, 33},
                          {65, 64},  {64, 65},   {129, 127}, {255, 257},
                          {513, 97}, {1021, 769}};
  for (const auto& s : sizes) {
    for (PixelFormat f : {PixelFormat::kRgb8, PixelFormat::kGray8}) {
      const media::Image img =
          testing::SyntheticImage(s[0], s[1], f, s[0] + 7 * s[1]);
      for (bool grey : {false, true}) {
        if (grey && f == PixelFormat::kGray8) continue;
        hash::Luma64 simd, portable;
        hash::DownsampleToLuma64(img, grey, false, simd);
        hash::internal::SetAvx512EnabledForTesting(false);
        hash::DownsampleToLuma64(img, grey, false, portable);
        hash::internal::SetAvx512EnabledForTesting(true);
        for (int y = 0; y < 64; ++y) {
          for (int x = 0; x < 64; ++x) {
            // Bit patterns, not values: -0 vs 0 or NaN would count.
            uint32_t a, b;
            std::memcpy(&a, &simd[y][x], 4);
            std::memcpy(&b, &portable[y][x], 4);
            ASSERT_EQ(a, b) << s[0] << "x" << s[1] << " at " << y << "," << x;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace bulwark

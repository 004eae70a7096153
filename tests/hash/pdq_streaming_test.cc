// The streaming, SIMD implementation against the plain one on sizes that
// exercise every edge of the box filter: windows of 1, even and odd
// windows, partial 8-row groups, sizes below 64 (repeated sample columns),
// exactly 64x64 (the reference's pass-through) and very thin images.
#include <gtest/gtest.h>

#include "bulwark/hash/pdq.h"
#include "bulwark/media/decoder.h"
#include "support/pdq_naive.h"
#include "support/synthetic_image.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

using media::PixelFormat;

struct Size {
  int w, h;
};

class PdqStreamingTest : public ::testing::TestWithParam<Size> {};

TEST_P(PdqStreamingTest, MatchesPlainImplementation) {
  const Size s = GetParam();
  for (PixelFormat f : {PixelFormat::kRgb8, PixelFormat::kGray8}) {
    media::Image img = testing::SyntheticImage(s.w, s.h, f, s.w * 7919 + s.h);
    auto fast = hash::ComputePdq(img, {});
    ASSERT_TRUE(fast.ok()) << fast.error().ToString();
    hash::PdqResult plain = testing::NaivePdq(img);
    EXPECT_EQ(fast->hash.ToHex(), plain.hash.ToHex())
        << s.w << "x" << s.h << " channels " << media::ChannelCount(f);
    EXPECT_EQ(fast->quality, plain.quality);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, PdqStreamingTest,
    ::testing::Values(Size{5, 5}, Size{5, 300}, Size{300, 5}, Size{6, 7},
                      Size{63, 65}, Size{64, 64}, Size{64, 65}, Size{65, 64},
                      Size{100, 100}, Size{127, 129}, Size{128, 128},
                      Size{129, 127}, Size{255, 257}, Size{256, 256},
                      Size{385, 130}, Size{512, 512}, Size{513, 300},
                      Size{640, 427}, Size{1000, 17}, Size{17, 1000},
                      Size{1021, 769}, Size{1536, 1031}),
    [](const ::testing::TestParamInfo<Size>& info) {
      return std::to_string(info.param.w) + "x" + std::to_string(info.param.h);
    });

TEST(PdqGrey, RgbWithEqualChannelsHashesLikeGrey) {
  media::Image grey = testing::SyntheticImage(300, 200, PixelFormat::kGray8, 5);
  media::Image rgb = testing::GreyAsRgb(grey);
  EXPECT_TRUE(hash::IsGrey(rgb));
  auto a = hash::ComputePdq(grey, {});
  auto b = hash::ComputePdq(rgb, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->hash, b->hash);
  rgb.pixels[1] ^= 1;  // One differing channel makes it colour.
  EXPECT_FALSE(hash::IsGrey(rgb));
}

TEST(PdqSize, BelowFiveIsAnErrorNotAZeroHash) {
  for (Size s : {Size{4, 4}, Size{4, 100}, Size{100, 4}, Size{1, 1}}) {
    auto r = hash::ComputePdq(
        testing::SyntheticImage(s.w, s.h, PixelFormat::kRgb8, 1), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("too small for PDQ"), std::string::npos);
  }
}

TEST(PdqQuality, FlatImageIsUnreliable) {
  media::Image flat =
      testing::SyntheticImage(200, 200, PixelFormat::kGray8, 1, 0);
  std::fill(flat.pixels.begin(), flat.pixels.end(), 128);
  auto r = hash::ComputePdq(flat, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quality, 0);
  EXPECT_FALSE(r->reliable());
}

TEST(PdqCli512, SquashesOnlyLargeImages) {
  media::Image small = testing::SyntheticImage(512, 300, PixelFormat::kRgb8, 3);
  auto full = hash::ComputePdq(small, {hash::PdqMode::kFull, false});
  auto cli = hash::ComputePdq(small, {hash::PdqMode::kCli512, false});
  ASSERT_TRUE(full.ok() && cli.ok());
  EXPECT_EQ(full->hash, cli->hash);  // <= 512 on both sides: untouched

  media::Image big = testing::SyntheticImage(1200, 700, PixelFormat::kRgb8, 3);
  full = hash::ComputePdq(big, {hash::PdqMode::kFull, false});
  cli = hash::ComputePdq(big, {hash::PdqMode::kCli512, false});
  ASSERT_TRUE(full.ok() && cli.ok());
  EXPECT_NE(full->hash, cli->hash);
  EXPECT_LT(full->hash.Distance(cli->hash), 64);  // same picture
}

TEST(PdqDihedral, MirroredPixelsMatchTheDerivedFlipYHash) {
  // The flipy hash derived from the DCT must match the hash of the mirrored
  // pixels up to a few bits: the box filter and the decimation grid are not
  // exactly symmetric, so the two are close but not always equal.
  auto bytes =
      testing::ReadBytes(testing::TestDataDir() + "/pdq/images/ski-coffee.png");
  auto img = media::DecodeImage(bytes, {});
  ASSERT_TRUE(img.ok()) << img.error().ToString();
  media::Image mirrored = *img;
  for (int y = 0; y < img->height; ++y)
    for (int x = 0; x < img->width; ++x)
      for (int c = 0; c < 3; ++c)
        mirrored.row(y)[3 * x + c] = img->row(y)[3 * (img->width - 1 - x) + c];
  auto a = hash::ComputePdq(*img, {hash::PdqMode::kFull, true});
  auto b = hash::ComputePdq(mirrored, {});
  ASSERT_TRUE(a.ok() && b.ok());
  const auto& flipy = (*a->dihedral)[static_cast<int>(hash::Dihedral::kFlipY)];
  EXPECT_LE(flipy.Distance(b->hash), 16);
  EXPECT_GT(a->hash.Distance(b->hash), 64);
}

}  // namespace
}  // namespace bulwark

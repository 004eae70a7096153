// Reviewer views: reduced, decodable JPEGs; the original only with a
// reason.
#include "bulwark/incident/views.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "bulwark/media/decoder.h"
#include "support/image_encoders.h"
#include "support/synthetic_image.h"

namespace bulwark::incident {
namespace {

media::Image Decode(const std::vector<uint8_t>& bytes) {
  auto img = media::DecodeImage(bytes, media::DecodeOptions{});
  EXPECT_TRUE(img.ok()) << img.error().ToString();
  return img.ok() ? std::move(*img) : media::Image{};
}

const std::vector<uint8_t> kImage = testing::EncodePng(
    testing::SyntheticImage(640, 400, media::PixelFormat::kRgb8, /*seed=*/11));

TEST(ViewsTest, BlurredIsBlocksOfAtMostSixteenAcross) {
  auto view = RenderView(kImage, View::kBlurred, "");
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  EXPECT_EQ(view->media_type, "image/jpeg");
  const media::Image img = Decode(view->bytes);
  // 640x400 -> 16x10 blocks, each shown 16 pixels wide.
  EXPECT_EQ(img.width, 256);
  EXPECT_EQ(img.height, 160);
  // Within a block the pixels are (up to JPEG noise) one colour.
  const int c = media::ChannelCount(img.format);
  int max_diff = 0;
  for (int y = 2; y < 14; ++y) {
    for (int x = 2; x < 14; ++x) {
      for (int k = 0; k < c; ++k) {
        max_diff = std::max(
            max_diff, std::abs(img.row(y)[x * c + k] - img.row(8)[8 * c + k]));
      }
    }
  }
  EXPECT_LE(max_diff, 12);
}

TEST(ViewsTest, GrayscaleIsGreyAndReduced) {
  auto view = RenderView(kImage, View::kGrayscale, "");
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  const media::Image img = Decode(view->bytes);
  EXPECT_EQ(img.format, media::PixelFormat::kGray8);
  EXPECT_EQ(img.width, 256);
  EXPECT_EQ(img.height, 160);
}

TEST(ViewsTest, SmallImagesAreNotEnlargedBeyondTheirBlocks) {
  const auto small = testing::EncodeJpeg(
      testing::SyntheticImage(12, 9, media::PixelFormat::kGray8, 2));
  auto blurred = RenderView(small, View::kBlurred, "");
  ASSERT_TRUE(blurred.ok());
  const media::Image img = Decode(blurred->bytes);
  EXPECT_EQ(img.width, 12 * 21);
  EXPECT_EQ(img.height, 9 * 21);
  auto gray = RenderView(small, View::kGrayscale, "");
  ASSERT_TRUE(gray.ok());
  EXPECT_EQ(Decode(gray->bytes).width, 12);
}

TEST(ViewsTest, OriginalNeedsAReason) {
  auto refused = RenderView(kImage, View::kOriginal, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  auto original = RenderView(kImage, View::kOriginal, "confirming a match");
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->bytes, kImage);
  EXPECT_EQ(original->media_type, "image/png");
}

TEST(ViewsTest, UndecodableBytesFail) {
  const std::vector<uint8_t> junk = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i'};
  EXPECT_FALSE(RenderView(junk, View::kBlurred, "").ok());
  EXPECT_TRUE(ParseView("grayscale").ok());
  EXPECT_FALSE(ParseView("clear").ok());
}

}  // namespace
}  // namespace bulwark::incident

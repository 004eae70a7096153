#include "bulwark/media/orientation.h"

#include <gtest/gtest.h>

#include <vector>

namespace bulwark::media {
namespace {

// 3 wide, 2 tall, every pixel distinct:
//   1 2 3
//   4 5 6
Image Stored(Orientation o) {
  Image img;
  img.width = 3;
  img.height = 2;
  img.format = PixelFormat::kGray8;
  img.orientation = o;
  img.pixels = {1, 2, 3, 4, 5, 6};
  return img;
}

struct Case {
  Orientation orientation;
  int width, height;
  std::vector<uint8_t> upright;
};

TEST(ApplyOrientationTest, AllEightValues) {
  const Case cases[] = {
      {Orientation::kTopLeft, 3, 2, {1, 2, 3, 4, 5, 6}},
      {Orientation::kTopRight, 3, 2, {3, 2, 1, 6, 5, 4}},
      {Orientation::kBottomRight, 3, 2, {6, 5, 4, 3, 2, 1}},
      {Orientation::kBottomLeft, 3, 2, {4, 5, 6, 1, 2, 3}},
      {Orientation::kLeftTop, 2, 3, {1, 4, 2, 5, 3, 6}},
      {Orientation::kRightTop, 2, 3, {4, 1, 5, 2, 6, 3}},
      {Orientation::kRightBottom, 2, 3, {6, 3, 5, 2, 4, 1}},
      {Orientation::kLeftBottom, 2, 3, {3, 6, 2, 5, 1, 4}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.orientation));
    const Image out = ApplyOrientation(Stored(c.orientation));
    EXPECT_EQ(out.width, c.width);
    EXPECT_EQ(out.height, c.height);
    EXPECT_EQ(out.orientation, Orientation::kTopLeft);
    EXPECT_EQ(out.pixels, c.upright);
  }
}

TEST(ApplyOrientationTest, RgbKeepsChannelsTogether) {
  Image img;
  img.width = 2;
  img.height = 1;
  img.format = PixelFormat::kRgb8;
  img.orientation = Orientation::kRightTop;
  img.pixels = {10, 11, 12, 20, 21, 22};
  const Image out = ApplyOrientation(img);
  EXPECT_EQ(out.width, 1);
  EXPECT_EQ(out.height, 2);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{10, 11, 12, 20, 21, 22}));
}

}  // namespace
}  // namespace bulwark::media

#include "bulwark/media/exif.h"

#include <gtest/gtest.h>

#include "support/image_encoders.h"

namespace bulwark::media {
namespace {

using testing::Bytes;

TEST(ExifTest, ReadsOrientationInBothByteOrders) {
  for (uint16_t v = 1; v <= 8; ++v) {
    EXPECT_EQ(ParseExifOrientation(testing::ExifBlock(v, false)),
              static_cast<Orientation>(v));
    EXPECT_EQ(ParseExifOrientation(testing::ExifBlock(v, true)),
              static_cast<Orientation>(v));
  }
}

TEST(ExifTest, AcceptsExifIdentifierPrefix) {
  const Bytes block = testing::ExifBlock(6, true);
  Bytes prefixed(6 + block.size(), 0);
  std::copy_n("Exif", 4, prefixed.begin());
  std::copy(block.begin(), block.end(), prefixed.begin() + 6);
  EXPECT_EQ(ParseExifOrientation(prefixed), Orientation::kRightTop);
}

TEST(ExifTest, MalformedMeansAbsent) {
  const Bytes good = testing::ExifBlock(6, false);
  EXPECT_EQ(ParseExifOrientation({}), Orientation::kTopLeft);
  // Out-of-range value.
  Bytes bad = testing::ExifBlock(9, false);
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  bad = testing::ExifBlock(0, true);
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  // IFD offset past the end, and wrapping around 2^32.
  bad = good;
  bad[4] = 0xFF;
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  bad = good;
  bad[4] = bad[5] = bad[6] = bad[7] = 0xFF;
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  // Entry count claims more entries than the block holds.
  bad = good;
  bad[8] = 0xFF;
  bad[9] = 0xFF;
  // The real entries come first, so the tag is still found...
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kRightTop);
  // ...but not if the orientation entry itself is cut off.
  bad.resize(good.size() - 10);
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  // Bad magic and bad byte order mark.
  bad = good;
  bad[2] = 43;
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  bad = good;
  bad[0] = 'X';
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  // Wrong type (LONG instead of SHORT).
  bad = good;
  bad[8 + 2 + 12 + 2] = 4;
  EXPECT_EQ(ParseExifOrientation(bad), Orientation::kTopLeft);
  // Every truncation is safe.
  for (size_t n = 0; n < good.size(); ++n) {
    ParseExifOrientation(std::span(good.data(), n));
  }
}

}  // namespace
}  // namespace bulwark::media

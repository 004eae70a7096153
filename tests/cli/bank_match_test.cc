// `bulwark bank` and `bulwark match` end to end: a data directory, banks
// built from hashes of benign test images, and the exit statuses scripts
// branch on.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/cli_runner.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

using testing::Bulwark;
using testing::RunResult;
using testing::Scratch;

std::string Image(const std::string& name) {
  return testing::TestDataDir() + "/pdq/images/" + name;
}

// The hash of `file` in expected_fullres.csv (the default `full` mode).
std::string ExpectedPdq(const std::string& file) {
  for (const auto& row : testing::ReadSimpleCsv(testing::TestDataDir() +
                                                "/pdq/expected_fullres.csv")) {
    if (row[0] == file) return row[1];
  }
  return "";
}

class BankMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = Scratch("data");
    std::filesystem::remove_all(data_);
  }
  void TearDown() override { std::filesystem::remove_all(data_); }
  RunResult Run(const std::string& args, const std::string& in = "") {
    return Bulwark(args + " --data " + data_, in);
  }
  std::string data_;
};

TEST_F(BankMatchTest, CreateAddMatchDisable) {
  ASSERT_EQ(Run("bank create known --category test").status, 0);
  const std::string coffee = ExpectedPdq("ski-coffee.png");
  auto add = Run("bank add known pdq " + coffee + " --label sample");
  ASSERT_EQ(add.status, 0) << add.err;

  // The same image matches at distance 0; an unrelated one does not.
  auto m = Run("match " + Image("ski-coffee.png") + " " +
               Image("ski-moon-gray.png"));
  EXPECT_EQ(m.status, 3) << m.err;
  EXPECT_NE(
      m.out.find("ski-coffee.png: MATCH bank known, entry 1, pdq distance 0"
                 ", label sample"),
      std::string::npos)
      << m.out;
  EXPECT_NE(m.out.find("ski-moon-gray.png: no match"), std::string::npos);

  // The 16-bit copy of coffee is a near duplicate: within 31 bits.
  m = Run("match -f csv " + Image("gen-coffee-16bit-rgb.png"));
  EXPECT_EQ(m.status, 3);
  EXPECT_NE(m.out.find(",known,1,pdq," + coffee + ","), std::string::npos)
      << m.out;

  // Disabled: no match any more, and `show` counts the tombstone.
  ASSERT_EQ(Run("bank disable known 1 --reason retracted").status, 0);
  EXPECT_EQ(Run("match " + Image("ski-coffee.png")).status, 0);
  EXPECT_NE(Run("bank show known").out.find("0 active, 1 disabled"),
            std::string::npos);
  // Re-adding a retracted value does not resurrect it.
  Run("bank add known pdq " + coffee);
  EXPECT_EQ(Run("match " + Image("ski-coffee.png")).status, 0);
  ASSERT_EQ(Run("bank enable known 1").status, 0);
  EXPECT_EQ(Run("match " + Image("ski-coffee.png")).status, 3);
}

TEST_F(BankMatchTest, DihedralMatchSaysWhichVariant) {
  ASSERT_EQ(Run("bank create cats").status, 0);
  ASSERT_EQ(
      Run("bank add cats pdq " + ExpectedPdq("ski-chelsea-cat.png")).status, 0);
  // The mirrored cat's own hash is far from the stored original; its
  // left-right mirrored variant is 12 bits away.
  const std::string mirror = Image("gen-chelsea-cat-mirror.png");
  EXPECT_EQ(Run("match " + mirror).status, 0);
  auto m = Run("match --dihedral -f jsonl " + mirror);
  EXPECT_EQ(m.status, 3) << m.err;
  EXPECT_NE(m.out.find("\"distance\":12,\"variant\":\"flipy\""),
            std::string::npos)
      << m.out;
}

TEST_F(BankMatchTest, ImportExportAndHashInputs) {
  ASSERT_EQ(Run("bank create digests").status, 0);
  const std::string list = Scratch("list.csv");
  std::ofstream(list)
      << "type,value,label,id\n"
      << "md5,900150983cd24fb0d6963f7d28e17f72,abc,x1\n"
      << "sha1,a9993e364706816aba3e25717850c26c9cd0d89d,abc,x2\n";
  auto imp = Run("bank import digests " + list);
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(imp.out.find("2 added"), std::string::npos) << imp.out;
  imp = Run("bank import digests " + list);  // idempotent
  EXPECT_NE(imp.out.find("0 added, 2 unchanged"), std::string::npos) << imp.out;

  // Hashes given directly, on the command line and from a file.
  auto m = Run("match --hash md5:900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(m.status, 3);
  EXPECT_NE(m.out.find("source id x1"), std::string::npos) << m.out;
  m = Run("match --hashes -",
          "# comment\nsha1:a9993e364706816aba3e25717850c26c9cd0d89d\n"
          "md5:00000000000000000000000000000000\n");
  EXPECT_EQ(m.status, 3);
  EXPECT_NE(m.out.find("md5:00000000000000000000000000000000: no match"),
            std::string::npos);
  // A file whose bytes are "abc" matches by digest.
  const std::string abc = Scratch("abc.bin");
  std::ofstream(abc) << "abc";
  m = Run("match -a md5,sha1 " + abc);
  EXPECT_EQ(m.status, 3) << m.err;

  auto exp = Run("bank export digests");
  EXPECT_EQ(exp.status, 0);
  EXPECT_NE(exp.out.find("md5,900150983cd24fb0d6963f7d28e17f72,abc,x1"),
            std::string::npos)
      << exp.out;
  // The export re-imports into a new bank with the same contents.
  const std::string exported = Scratch("export.csv");
  std::ofstream(exported) << exp.out;
  ASSERT_EQ(Run("bank create copy").status, 0);
  ASSERT_EQ(Run("bank import copy " + exported).status, 0);
  auto again = Run("bank export copy");
  EXPECT_EQ(again.out.substr(0, again.out.find('\n')),
            exp.out.substr(0, exp.out.find('\n')));
}

// The everyday workflow: hash confirmed files, import the hashes, match.
TEST_F(BankMatchTest, HashOutputImportsIntoABank) {
  const std::string csv = Scratch("hashes.csv");
  auto h = Bulwark("hash -f csv " + Image("ski-rocket.jpg") + " " +
                   Image("ski-coins-gray.png"));
  ASSERT_EQ(h.status, 0) << h.err;
  std::ofstream(csv) << h.out;
  ASSERT_EQ(Run("bank create confirmed").status, 0);
  auto imp = Run("bank import confirmed " + csv);
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(imp.out.find("8 added"), std::string::npos) << imp.out;
  auto m = Run("match -f csv " + Image("gen-rocket-exif-orient6.jpg"));
  EXPECT_EQ(m.status, 3) << m.err;
  // Same pixels, different bytes: PDQ matches at 0, the digests do not.
  EXPECT_NE(m.out.find(",confirmed,"), std::string::npos);
  EXPECT_NE(m.out.find(",pdq,"), std::string::npos);
  EXPECT_EQ(m.out.find(",md5,"), std::string::npos) << m.out;
}

TEST_F(BankMatchTest, BadInputIsAUsageErrorOrFailure) {
  EXPECT_EQ(Run("bank create 'bad name'").status, 2);
  ASSERT_EQ(Run("bank create b1").status, 0);
  EXPECT_NE(Run("bank create b1").status, 0);  // exists
  EXPECT_EQ(Run("bank add b1 pdq abcd").status, 2);
  EXPECT_EQ(Run("bank add nope md5 " + std::string(32, 'a')).status, 2);
  EXPECT_EQ(Run("match --bank nope --hash md5:" + std::string(32, 'a')).status,
            2);
  EXPECT_EQ(Run("match").status, 2);  // nothing to match
  auto del = Run("bank delete b1");
  EXPECT_EQ(del.status, 2);  // needs --yes
  EXPECT_EQ(Run("bank delete b1 --yes").status, 0);
  EXPECT_NE(Run("bank show b1").status, 0);
  // A bad line rolls the whole file back.
  ASSERT_EQ(Run("bank create lines").status, 0);
  const std::string bad = Scratch("bad.txt");
  std::ofstream(bad) << "md5:" << std::string(32, 'a') << "\nnot-a-hash\n";
  auto imp = Run("bank import lines " + bad);
  EXPECT_EQ(imp.status, 1);
  EXPECT_NE(imp.err.find("line 2"), std::string::npos) << imp.err;
  EXPECT_NE(Run("bank show lines").out.find("0 active"), std::string::npos);
  imp = Run("bank import lines --skip-invalid " + bad);
  EXPECT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(Run("bank show lines").out.find("1 active"), std::string::npos);
}

TEST_F(BankMatchTest, DataDirFromEnvironment) {
  setenv("BULWARK_DATA", data_.c_str(), 1);
  ASSERT_EQ(Bulwark("bank create fromenv").status, 0);
  unsetenv("BULWARK_DATA");
  EXPECT_NE(Run("bank list").out.find("fromenv"), std::string::npos);
}

}  // namespace
}  // namespace bulwark

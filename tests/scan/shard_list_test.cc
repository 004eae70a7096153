#include "bulwark/scan/shard_list.h"
#include "support/scratch_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;
using Strings = std::vector<std::string>;

Strings Expand(const Strings& args) {
  auto r = ExpandSourceArgs(args);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : Strings{};
}

TEST(ScanShardList, ExpandsZeroPaddedRanges) {
  EXPECT_EQ(Expand({"s/{00000..00002}.tar"}),
            (Strings{"s/00000.tar", "s/00001.tar", "s/00002.tar"}));
  EXPECT_EQ(Expand({"{8..11}"}), (Strings{"8", "9", "10", "11"}));
  // Width from the longer bound when either is padded.
  EXPECT_EQ(Expand({"{098..0101}"}), (Strings{"0098", "0099", "0100", "0101"}));
  EXPECT_EQ(Expand({"{3..1}"}), (Strings{"3", "2", "1"}));
  EXPECT_EQ(Expand({"{002..000}"}), (Strings{"002", "001", "000"}));
  EXPECT_EQ(Expand({"{5..5}"}), (Strings{"5"}));
}

TEST(ScanShardList, ExpandsListsRepeatedAndNestedBraces) {
  EXPECT_EQ(Expand({"{a,b}.tar"}), (Strings{"a.tar", "b.tar"}));
  EXPECT_EQ(Expand({"{a,b}/{0..1}"}), (Strings{"a/0", "a/1", "b/0", "b/1"}));
  EXPECT_EQ(Expand({"x{a,{0..1}}y"}), (Strings{"xay", "x0y", "x1y"}));
  EXPECT_EQ(Expand({"{a,}z"}), (Strings{"az", "z"}));
  // Not an expansion: kept as written, groups after it still expand.
  EXPECT_EQ(Expand({"{x}{1..2}"}), (Strings{"{x}1", "{x}2"}));
  EXPECT_EQ(Expand({"{a..b}"}), (Strings{"{a..b}"}));
}

TEST(ScanShardList, LeavesPlainArgumentsAndKeepsOrder) {
  EXPECT_EQ(Expand({"b.tar", "dir/", "a.tar", "we ird.tar"}),
            (Strings{"b.tar", "dir/", "a.tar", "we ird.tar"}));
  EXPECT_EQ(Expand({}), Strings{});
}

TEST(ScanShardList, ReadsListFiles) {
  ScratchDir dir;
  std::ofstream(dir / "list.txt")
      << "# shards\nshards/0.tar\n\n  shards/1.tar  \r\n#shards/2.tar\n"
         "shards/{3..4}.tar\n";
  const std::string list = dir / "list.txt";
  EXPECT_EQ(Expand({"first.tar", "@" + list, "last.tar"}),
            (Strings{"first.tar", "shards/0.tar", "shards/1.tar",
                     "shards/{3..4}.tar", "last.tar"}));
}

TEST(ScanShardList, ExpansionErrorsNameTheArgument) {
  for (const std::string arg : {"s/{0..3.tar", "s/0..3}.tar", "{a,{b}"}) {
    auto r = ExpandSourceArgs({"ok.tar", arg});
    ASSERT_FALSE(r.ok()) << arg;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(arg), std::string::npos)
        << r.error().message;
  }
  auto huge = ExpandSourceArgs({"{0..99999999}"});
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("10,000,000"), std::string::npos);

  auto missing = ExpandSourceArgs({"@/nonexistent/bulwark/list.txt"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/bulwark/list.txt"),
            std::string::npos);
}

TEST(ScanShardList, ResolvesKindsAndIds) {
  ScratchDir dir;
  for (const char* name :
       {"00000.tar", "00001.tar.gz", "00002.tgz", "00003.tar.zst",
        "00004.TAR.XZ", "00005.tar.bz2", "00006.tzst", "00007.tar.zstd"}) {
    dir.Touch(name);
  }
  fs::create_directories(dir / "images");
  auto r = ResolveShards(
      {dir / "00001.tar.gz", dir / "00000.tar", dir / "00002.tgz",
       dir / "00003.tar.zst", dir / "00004.TAR.XZ", dir / "00005.tar.bz2",
       dir / "00006.tzst", dir / "00007.tar.zstd", dir / "images/"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 9u);
  Strings ids;
  for (const ShardSpec& s : *r) ids.push_back(s.id);
  EXPECT_EQ(ids, (Strings{"00001", "00000", "00002", "00003", "00004", "00005",
                          "00006", "00007", "images"}));
  EXPECT_EQ((*r)[0].path, dir / "00001.tar.gz");
  EXPECT_EQ((*r)[0].kind, ShardKind::kTar);
  EXPECT_EQ((*r)[8].kind, ShardKind::kDirectory);
}

TEST(ScanShardList, ResolveErrorsNameThePaths) {
  ScratchDir dir;
  dir.Touch("a.tar");
  dir.Touch("a.tar.gz");
  dir.Touch("notes.txt");
  fs::create_directories(dir / "x/a");

  auto dup = ResolveShards({dir / "a.tar", dir / "a.tar.gz"});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find(dir / "a.tar'"), std::string::npos);
  EXPECT_NE(dup.error().message.find(dir / "a.tar.gz"), std::string::npos);
  // A directory and a tar shard can collide too.
  EXPECT_FALSE(ResolveShards({dir / "a.tar", dir / "x/a"}).ok());

  auto missing = ResolveShards({dir / "none.tar"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find(dir / "none.tar"), std::string::npos);

  auto other = ResolveShards({dir / "notes.txt"});
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("notes.txt"), std::string::npos);
}

std::vector<ShardSpec> Specs(int n) {
  std::vector<ShardSpec> specs;
  for (int i = n - 1; i >= 0; --i) {  // deliberately not in id order
    ShardSpec s;
    s.id = std::to_string(1000 + i);
    s.path = "shards/" + s.id + ".tar";
    specs.push_back(s);
  }
  return specs;
}

TEST(ScanShardList, PartitionsAreDisjointAndCoverTheList) {
  for (int count : {1, 3, 8, 20}) {
    std::set<std::string> seen;
    for (int index = 0; index < count; ++index) {
      std::vector<ShardSpec> part = SelectPartition(Specs(17), index, count);
      EXPECT_LE(part.size(), 17u / count + 1);
      for (const ShardSpec& s : part) {
        EXPECT_TRUE(seen.insert(s.id).second) << s.id << " in two parts";
      }
    }
    EXPECT_EQ(seen.size(), 17u) << count;
  }
  // Round-robin over the id order, whatever the input order.
  std::vector<ShardSpec> reversed = Specs(6);
  std::vector<ShardSpec> forward(reversed.rbegin(), reversed.rend());
  auto a = SelectPartition(reversed, 1, 3);
  auto b = SelectPartition(forward, 1, 3);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0].id, "1001");
  EXPECT_EQ(a[1].id, "1004");
  EXPECT_EQ(b[0].id, "1001");
  EXPECT_EQ(b[1].id, "1004");
}

TEST(ScanShardList, ParsesPartitions) {
  auto p = ParsePartition("3/8");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->index, 3);
  EXPECT_EQ(p->count, 8);
  auto first = ParsePartition("0/1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->count, 1);
  for (const char* bad : {"8/8", "1/0", "3", "-1/4", "a/b", "1/", "/2", "1/2/3",
                          " 1/2", "99999999999/1"}) {
    auto r = ParsePartition(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace bulwark::scan

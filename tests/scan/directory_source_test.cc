#include "bulwark/scan/directory_source.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bulwark/scan/source.h"
#include "support/scratch_dir.h"
#include "support/source_reading.h"
#include "support/test_paths.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::ScratchDir;

std::unique_ptr<Source> Open(const std::string& path,
                             SourceOptions options = {}) {
  return testing::OpenOrFail(testing::DirectoryShard(path), options);
}

std::vector<std::string> Keys(const std::vector<Sample>& samples) {
  std::vector<std::string> keys;
  for (const Sample& s : samples) keys.push_back(s.key);
  return keys;
}

TEST(ScanDirectorySource, WalksImagesInByteOrderOfPaths) {
  ScratchDir dir;
  dir.Write("b.jpg", "bb");
  dir.Write("a/z.png", "zz");
  dir.Write("a/y.txt", "not an image");
  dir.Write("a.jpg", "a");  // sorts before "a/z.png": '.' < '/'
  dir.Write("B.JPG", "B");  // upper case sorts first
  dir.Write("c/d/e.gif", "e");
  dir.Write("c/d/\xc3\xa9.webp", "utf8");  // after ASCII names
  dir.Write("c/d/f.tiff", "f");
  dir.Write("c/readme", "skip");
  fs::create_directories(dir / "empty/deeper");
  auto source = Open(dir.path());
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  EXPECT_EQ(Keys(samples),
            (std::vector<std::string>{"B.JPG", "a.jpg", "a/z.png", "b.jpg",
                                      "c/d/e.gif", "c/d/f.tiff",
                                      "c/d/\xc3\xa9.webp"}));
  uint64_t total = 0;
  for (const Sample& s : samples) {
    ASSERT_EQ(s.members.size(), 1u);
    const Member& m = s.members[0];
    EXPECT_EQ(m.name, s.key);
    EXPECT_TRUE(m.image);
    EXPECT_FALSE(m.error);
    EXPECT_EQ(m.offset, 0u);
    EXPECT_EQ(m.header, nullptr);
    EXPECT_EQ(m.size, m.bytes.size());
    total += m.bytes.size();
  }
  EXPECT_EQ(samples[2].members[0].bytes, (std::vector<uint8_t>{'z', 'z'}));
  EXPECT_EQ(source->bytes_read(), total);
}

TEST(ScanDirectorySource, ReadsRealImages) {
  const std::string images = testing::TestDataDir() + "/pdq/images";
  auto source = Open(images);
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_GT(samples.size(), 10u);
  EXPECT_EQ(samples[0].members[0].bytes,
            testing::ReadBytes(images + "/" + samples[0].key));
}

TEST(ScanDirectorySource, DoesNotFollowSymlinks) {
  ScratchDir dir;
  dir.Write("real/x.jpg", "x");
  fs::create_directory_symlink(dir / "real", dir / "alias");
  fs::create_symlink(dir / "real/x.jpg", dir / "link.jpg");
  fs::create_directory_symlink(dir.path(), dir / "real/loop");
  auto source = Open(dir.path());
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(Keys(ReadAll(*source)), (std::vector<std::string>{"real/x.jpg"}));
}

TEST(ScanDirectorySource, ListsEachDirectoryWhenItIsReached) {
  ScratchDir dir;
  dir.Write("a/1.jpg", "1");
  fs::create_directories(dir / "b");
  auto source = Open(dir.path());
  ASSERT_NE(source, nullptr);
  auto first = source->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->key, "a/1.jpg");
  // "b" has not been listed yet: what appears in it now is found.
  dir.Write("b/2.jpg", "2");
  auto second = source->Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->key, "b/2.jpg");
  auto end = source->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(ScanDirectorySource, OversizeAndUnreadableFilesAreMemberErrors) {
  ScratchDir dir;
  dir.Write("1.jpg", std::string(500, 'x'));
  dir.Write("2.jpg", "ok");
  dir.Write("3.png", "locked");
  fs::permissions(dir / "3.png", fs::perms::none);
  SourceOptions options;
  options.max_member_bytes = 100;
  auto source = Open(dir.path(), options);
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 3u);
  const Member& big = samples[0].members[0];
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->code, ErrorCode::kLimitExceeded);
  EXPECT_NE(big.error->message.find("1.jpg"), std::string::npos);
  EXPECT_NE(big.error->message.find("500"), std::string::npos);
  EXPECT_EQ(big.size, 500u);
  EXPECT_TRUE(big.bytes.empty());
  EXPECT_FALSE(samples[1].members[0].error);
  if (geteuid() != 0) {  // root reads anything
    const Member& locked = samples[2].members[0];
    ASSERT_TRUE(locked.error);
    EXPECT_EQ(locked.error->code, ErrorCode::kIo);
    EXPECT_NE(locked.error->message.find("3.png"), std::string::npos);
  }
  EXPECT_EQ(source->bytes_read(), geteuid() != 0 ? 2u : 8u);
}

// A subdirectory that turns into a file between the listing of its parent
// and its own cannot be listed (this works as root too, unlike a
// permission test).
TEST(ScanDirectorySource, UnlistableSubdirectoryIsAnErrorSample) {
  ScratchDir dir;
  dir.Write("a/1.jpg", "1");
  dir.Write("b/2.jpg", "2");
  dir.Write("c/3.jpg", "3");
  auto source = Open(dir.path());
  ASSERT_NE(source, nullptr);
  auto first = source->Next();
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->key, "a/1.jpg");
  fs::remove_all(dir / "b");
  dir.Write("b", "now a file");
  std::vector<Sample> rest = ReadAll(*source);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].key, "b");
  ASSERT_TRUE(rest[0].members[0].error);
  EXPECT_FALSE(rest[0].members[0].image);
  EXPECT_EQ(rest[1].key, "c/3.jpg");
}

TEST(ScanDirectorySource, MissingRootFailsToOpen) {
  ScratchDir dir;
  auto r = OpenSource(testing::DirectoryShard(dir / "nothing"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find(dir / "nothing"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::scan

#include "bulwark/scan/filtered_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "bulwark/scan/source.h"
#include "support/scratch_dir.h"
#include "support/source_reading.h"
#include "support/tar_builder.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::ScratchDir;
using testing::TarCompression;
using testing::TarMember;
using testing::WriteTar;

std::vector<uint8_t> Bytes(const std::string& text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<TarMember> Members() {
  std::vector<TarMember> members;
  for (int i = 0; i < 6; ++i) {
    const std::string key = "part/" + std::to_string(100 + i);
    members.push_back({key + ".jpg", Bytes(std::string(700 + i, 'a' + i))});
    members.push_back({key + ".txt", Bytes("caption " + key)});
    members.push_back({key + ".json", Bytes("{\"i\": " + key + "}")});
  }
  return members;
}

// Copies `in` to `out` leaving out the samples whose key is in `drop`.
void Filter(const std::string& in, const std::string& out,
            const std::set<std::string>& drop) {
  SourceOptions options;
  options.keep_all_bytes = true;
  auto source = OpenSource(testing::TarShard(in), options);
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  auto writer = FilteredShardWriter::Create(testing::TarShard(in), out);
  ASSERT_TRUE(writer.ok()) << writer.error().ToString();
  EXPECT_TRUE(fs::exists(out + ".partial"));
  while (true) {
    auto sample = (*source)->Next();
    ASSERT_TRUE(sample.ok()) << sample.error().ToString();
    if (!sample->has_value()) break;
    if (drop.count((*sample)->key)) continue;
    Status st = (*writer)->Write(**sample);
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }
  Status st = (*writer)->Commit();
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_FALSE(fs::exists(out + ".partial"));
}

int FilterCode(const std::string& path) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  int code = -1;
  archive_entry* e = nullptr;
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK &&
      archive_read_next_header(a, &e) == ARCHIVE_OK) {
    code = archive_filter_code(a, 0);
  }
  archive_read_free(a);
  return code;
}

TEST(ScanFilteredWriter, DropsSamplesAndKeepsTheRestExactly) {
  for (auto [compression, name, filter] :
       {std::tuple{TarCompression::kNone, "s.tar", ARCHIVE_FILTER_NONE},
        std::tuple{TarCompression::kGzip, "s.tar.gz", ARCHIVE_FILTER_GZIP},
        std::tuple{TarCompression::kZstd, "s.tar.zst", ARCHIVE_FILTER_ZSTD}}) {
    SCOPED_TRACE(name);
    ScratchDir dir;
    WriteTar(dir / name, Members(), compression);
    const std::string out = dir / (std::string("out-") + name);
    Filter(dir / name, out, {"part/101", "part/105"});

    std::vector<TarMember> expected;
    for (TarMember& m : testing::ReadTar(dir / name)) {
      if (m.name.rfind("part/101.", 0) == 0) continue;
      if (m.name.rfind("part/105.", 0) == 0) continue;
      expected.push_back(std::move(m));
    }
    std::vector<TarMember> got = testing::ReadTar(out);
    ASSERT_EQ(got.size(), expected.size());
    ASSERT_EQ(got.size(), 12u);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].name, expected[i].name);
      EXPECT_EQ(got[i].bytes, expected[i].bytes) << got[i].name;
    }
    EXPECT_EQ(FilterCode(out), filter);
  }
}

TEST(ScanFilteredWriter, KeepingEverythingReproducesAPlainTar) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", Members());
  Filter(dir / "s.tar", dir / "out.tar", {});
  EXPECT_EQ(testing::ReadTar(dir / "out.tar").size(), Members().size());
  // Same headers, same padding: the very same bytes.
  std::ifstream a(dir / "s.tar", std::ios::binary);
  std::ifstream b(dir / "out.tar", std::ios::binary);
  std::string sa((std::istreambuf_iterator<char>(a)), {});
  std::string sb((std::istreambuf_iterator<char>(b)), {});
  EXPECT_TRUE(sa == sb);
}

struct HeaderFields {
  std::string name;
  unsigned type = 0;
  int mode = 0;
  int64_t uid = 0, gid = 0, mtime = 0, size = 0;
  std::string uname, symlink;
  bool operator==(const HeaderFields&) const = default;
};

std::vector<HeaderFields> ReadHeaders(const std::string& path) {
  std::vector<HeaderFields> out;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 1 << 16), ARCHIVE_OK);
  archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    HeaderFields h;
    h.name = archive_entry_pathname(e);
    h.type = archive_entry_filetype(e);
    h.mode = archive_entry_perm(e);
    h.uid = archive_entry_uid(e);
    h.gid = archive_entry_gid(e);
    h.mtime = archive_entry_mtime(e);
    h.size = archive_entry_size(e);
    if (archive_entry_uname(e)) h.uname = archive_entry_uname(e);
    if (archive_entry_symlink(e)) h.symlink = archive_entry_symlink(e);
    out.push_back(h);
  }
  archive_read_free(a);
  return out;
}

// Members with varied owners, modes and times, a directory, a symlink and a
// name too long for ustar.
void WriteVariedTar(const std::string& path) {
  archive* w = archive_write_new();
  archive_write_set_format_pax_restricted(w);
  archive_write_add_filter_gzip(w);
  ASSERT_EQ(archive_write_open_filename(w, path.c_str()), ARCHIVE_OK);
  int i = 0;
  auto add = [&](const std::string& name, unsigned type,
                 const std::string& body) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, type == AE_IFDIR ? 0750 : 0600 + i);
    archive_entry_set_uid(e, 1000 + i);
    archive_entry_set_gid(e, 2000 + i);
    archive_entry_set_uname(e, ("user" + std::to_string(i)).c_str());
    archive_entry_set_mtime(e, 1600000000 + i * 1000, 0);
    if (type == AE_IFLNK) archive_entry_set_symlink(e, "target.jpg");
    archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
    EXPECT_EQ(archive_write_header(w, e), ARCHIVE_OK);
    if (!body.empty()) archive_write_data(w, body.data(), body.size());
    archive_entry_free(e);
    ++i;
  };
  add("d/", AE_IFDIR, "");
  add("d/0.jpg", AE_IFREG, "zero");
  add("d/0.txt", AE_IFREG, "text zero");
  add("d/1.jpg", AE_IFREG, "one");
  add("d/2.jpg", AE_IFLNK, "");
  add("d/" + std::string(150, 'l') + ".jpg", AE_IFREG, "long");
  add("d/3.jpg", AE_IFREG, "three");
  archive_write_close(w);
  archive_write_free(w);
}

TEST(ScanFilteredWriter, KeepsHeaderFieldsOfKeptMembers) {
  ScratchDir dir;
  WriteVariedTar(dir / "s.tar.gz");
  Filter(dir / "s.tar.gz", dir / "out.tar.gz", {"d/1"});
  std::vector<HeaderFields> expected;
  for (const HeaderFields& h : ReadHeaders(dir / "s.tar.gz")) {
    if (h.name != "d/1.jpg") expected.push_back(h);
  }
  std::vector<HeaderFields> got = ReadHeaders(dir / "out.tar.gz");
  ASSERT_EQ(got.size(), 6u);
  ASSERT_EQ(expected.size(), 6u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(got[i] == expected[i]) << got[i].name;
  }
  EXPECT_EQ(got[0].type, static_cast<unsigned>(AE_IFDIR));
  EXPECT_EQ(got[1].uid, 1001);
  EXPECT_EQ(got[1].mode, 0601);
  EXPECT_EQ(got[1].mtime, 1600001000);
  EXPECT_EQ(got[3].symlink, "target.jpg");
  EXPECT_EQ(got[4].name.size(), 156u);
  EXPECT_EQ(FilterCode(dir / "out.tar.gz"), ARCHIVE_FILTER_GZIP);
}

TEST(ScanFilteredWriter, WithoutCommitLeavesNothing) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", Members());
  SourceOptions options;
  options.keep_all_bytes = true;
  auto source = OpenSource(testing::TarShard(dir / "s.tar"), options);
  ASSERT_TRUE(source.ok());
  {
    auto writer = FilteredShardWriter::Create(testing::TarShard(dir / "s.tar"),
                                              dir / "o.tar");
    ASSERT_TRUE(writer.ok()) << writer.error().ToString();
    auto sample = (*source)->Next();
    ASSERT_TRUE(sample.ok() && sample->has_value());
    EXPECT_TRUE((*writer)->Write(**sample).ok());
    EXPECT_TRUE(fs::exists(dir / "o.tar.partial"));
  }
  EXPECT_FALSE(fs::exists(dir / "o.tar.partial"));
  EXPECT_FALSE(fs::exists(dir / "o.tar"));
}

TEST(ScanFilteredWriter, RefusesMembersWithoutTheirBytes) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", Members());
  // Not keep_all_bytes: the captions are not read.
  auto source = OpenSource(testing::TarShard(dir / "s.tar"), {});
  ASSERT_TRUE(source.ok());
  auto writer = FilteredShardWriter::Create(testing::TarShard(dir / "s.tar"),
                                            dir / "o.tar");
  ASSERT_TRUE(writer.ok());
  auto sample = (*source)->Next();
  ASSERT_TRUE(sample.ok() && sample->has_value());
  Status st = (*writer)->Write(**sample);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("part/100.txt"), std::string::npos);

  // A member with an error cannot be copied either.
  SourceOptions small;
  small.keep_all_bytes = true;
  small.max_member_bytes = 10;
  auto limited = OpenSource(testing::TarShard(dir / "s.tar"), small);
  ASSERT_TRUE(limited.ok());
  auto writer2 = FilteredShardWriter::Create(testing::TarShard(dir / "s.tar"),
                                             dir / "p.tar");
  ASSERT_TRUE(writer2.ok());
  auto first = (*limited)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  Status st2 = (*writer2)->Write(**first);
  ASSERT_FALSE(st2.ok());
  EXPECT_NE(st2.error().message.find("part/100.jpg"), std::string::npos);
}

TEST(ScanFilteredWriter, DirectoriesAreUnsupported) {
  ScratchDir dir;
  ShardSpec spec;
  spec.path = dir / "";
  spec.kind = ShardKind::kDirectory;
  spec.id = "d";
  auto writer = FilteredShardWriter::Create(spec, dir / "o.tar");
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(writer.error().message.find("--write-filtered applies to tar"),
            std::string::npos);
}

}  // namespace
}  // namespace bulwark::scan

#include "bulwark/scan/tar_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "bulwark/scan/source.h"
#include "support/scratch_dir.h"
#include "support/source_reading.h"
#include "support/tar_builder.h"
#include "support/test_paths.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::ScratchDir;
using testing::TarCompression;
using testing::TarMember;
using testing::WriteTar;

std::unique_ptr<Source> Open(const std::string& path,
                             SourceOptions options = {}) {
  return testing::OpenOrFail(testing::TarShard(path), options);
}

std::vector<uint8_t> Bytes(const std::string& text, size_t repeat = 1) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < repeat; ++i)
    out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::vector<TarMember> WebDatasetMembers() {
  return {
      {"shard/000.jpg", Bytes("jpeg-ish bytes 0", 40)},
      {"shard/000.txt", Bytes("a caption")},
      {"shard/000.json", Bytes("{\"w\": 1}")},
      {"shard/001.png", Bytes("png-ish bytes 1", 70)},
      {"shard/001.txt", Bytes("another caption")},
      {"shard/002.txt", Bytes("text only")},
      {"shard/003.webp", Bytes("webp-ish", 3)},
  };
}

void ExpectWebDatasetSamples(const std::vector<Sample>& samples) {
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].key, "shard/000");
  ASSERT_EQ(samples[0].members.size(), 3u);
  EXPECT_EQ(samples[0].members[0].name, "shard/000.jpg");
  EXPECT_TRUE(samples[0].members[0].image);
  EXPECT_EQ(samples[0].members[0].bytes, Bytes("jpeg-ish bytes 0", 40));
  EXPECT_EQ(samples[0].members[0].size, 16u * 40);
  EXPECT_EQ(samples[0].members[1].name, "shard/000.txt");
  EXPECT_FALSE(samples[0].members[1].image);
  EXPECT_EQ(samples[0].members[1].size, 9u);
  EXPECT_EQ(samples[0].members[2].name, "shard/000.json");
  EXPECT_EQ(samples[1].key, "shard/001");
  EXPECT_EQ(samples[1].members.size(), 2u);
  EXPECT_EQ(samples[1].members[0].bytes, Bytes("png-ish bytes 1", 70));
  EXPECT_EQ(samples[2].key, "shard/002");
  EXPECT_EQ(samples[2].members.size(), 1u);
  EXPECT_EQ(samples[3].key, "shard/003");
  EXPECT_EQ(samples[3].members[0].bytes, Bytes("webp-ish", 3));
  for (const Sample& s : samples) {
    for (const Member& m : s.members) {
      EXPECT_FALSE(m.error) << m.name;
      EXPECT_NE(m.header, nullptr) << m.name;
    }
  }
}

TEST(ScanTarSource, GroupsConsecutiveMembersByKey) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", WebDatasetMembers());
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ExpectWebDatasetSamples(samples);
  // Without keep_all_bytes only images are read.
  EXPECT_TRUE(samples[0].members[1].bytes.empty());
  EXPECT_TRUE(samples[2].members[0].bytes.empty());
  EXPECT_EQ(source->bytes_read(), fs::file_size(dir / "s.tar"));
  // The end stays the end.
  auto again = source->Next();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST(ScanTarSource, KeepAllBytesReadsEveryMember) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", WebDatasetMembers());
  SourceOptions options;
  options.keep_all_bytes = true;
  auto source = Open(dir / "s.tar", options);
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].members[1].bytes, Bytes("a caption"));
  EXPECT_EQ(samples[0].members[2].bytes, Bytes("{\"w\": 1}"));
  EXPECT_EQ(samples[2].members[0].bytes, Bytes("text only"));
}

TEST(ScanTarSource, KeysFollowWebDatasetRules) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", {{"a.b/x.seg.jpg", Bytes("1")},
                           {"a.b/x.seg.txt", Bytes("2")},
                           {"a.b/x.jpg", Bytes("3")},
                           {"noext", Bytes("4")},
                           {"a.jpg", Bytes("5")},
                           {"b.jpg", Bytes("6")},
                           {"a.txt", Bytes("7")}});
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 5u);
  EXPECT_EQ(samples[0].key, "a.b/x");
  EXPECT_EQ(samples[0].members.size(), 3u);  // "x.seg.*" and "x.jpg"
  EXPECT_EQ(samples[1].key, "noext");
  // A key seen again after another key is a new sample (group_by_keys).
  EXPECT_EQ(samples[2].key, "a");
  EXPECT_EQ(samples[3].key, "b");
  EXPECT_EQ(samples[4].key, "a");
  EXPECT_EQ(samples[4].members[0].name, "a.txt");
}

TEST(ScanTarSource, OffsetsPointAtTheHeaders) {
  ScratchDir dir;
  std::vector<TarMember> members = WebDatasetMembers();
  // A name over 100 bytes needs a pax header first: the offset is that
  // first header block, as `tar -R` reports.
  members.push_back({std::string(120, 'n') + ".jpg", Bytes("long", 200)});
  members.push_back({"shard/last.jpg", Bytes("x", 513)});
  WriteTar(dir / "s.tar", members);
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  std::ifstream file(dir / "s.tar", std::ios::binary);
  size_t count = 0;
  uint64_t previous = 0;
  for (const Sample& s : ReadAll(*source)) {
    for (const Member& m : s.members) {
      ++count;
      EXPECT_EQ(m.offset % 512, 0u) << m.name;
      if (count > 1) {
        EXPECT_GT(m.offset, previous);
      }
      previous = m.offset;
      char block[512];
      file.seekg(static_cast<std::streamoff>(m.offset));
      ASSERT_TRUE(file.read(block, sizeof block)) << m.name;
      if (m.name.size() <= 100) {
        EXPECT_EQ(std::string(block, strnlen(block, 100)), m.name);
        EXPECT_EQ(std::string(block + 257, 5), "ustar");
      } else {
        EXPECT_EQ(block[156], 'x') << "pax extended header expected";
      }
    }
  }
  EXPECT_EQ(count, members.size());
}

TEST(ScanTarSource, ReadsCompressedShards) {
  for (auto [compression, name] :
       {std::pair{TarCompression::kGzip, "s.tar.gz"},
        std::pair{TarCompression::kZstd, "s.tar.zst"}}) {
    SCOPED_TRACE(name);
    ScratchDir dir;
    WriteTar(dir / "plain.tar", WebDatasetMembers());
    WriteTar(dir / name, WebDatasetMembers(), compression);
    auto plain = Open(dir / "plain.tar");
    auto source = Open(dir / name);
    ASSERT_NE(source, nullptr);
    ASSERT_NE(plain, nullptr);
    std::vector<Sample> plain_samples = ReadAll(*plain);
    std::vector<Sample> samples = ReadAll(*source);
    ExpectWebDatasetSamples(samples);
    ASSERT_EQ(samples.size(), plain_samples.size());
    // Offsets are in the uncompressed stream, so they equal the plain tar's.
    for (size_t i = 0; i < samples.size(); ++i) {
      for (size_t j = 0; j < samples[i].members.size(); ++j) {
        EXPECT_EQ(samples[i].members[j].offset,
                  plain_samples[i].members[j].offset);
      }
    }
    // bytes_read counts compressed bytes.
    EXPECT_EQ(source->bytes_read(), fs::file_size(dir / name));
    EXPECT_LT(source->bytes_read(), fs::file_size(dir / "plain.tar"));
  }
}

TEST(ScanTarSource, ReadsRealImagesByteForByte) {
  ScratchDir dir;
  const std::string images = testing::TestDataDir() + "/pdq/images/";
  std::vector<TarMember> members = {
      {"000.png", testing::ReadBytes(images + "ski-coffee.png")},
      {"000.txt", Bytes("coffee")},
      {"001.jpg", testing::ReadBytes(images + "ski-rocket.jpg")},
  };
  WriteTar(dir / "s.tar.gz", members, TarCompression::kGzip);
  auto source = Open(dir / "s.tar.gz");
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].members[0].bytes, members[0].bytes);
  EXPECT_EQ(samples[1].members[0].bytes, members[2].bytes);
  EXPECT_GT(samples[1].held_bytes(), 1000u);
}

TEST(ScanTarSource, OversizeMemberIsAnErrorAndTheScanGoesOn) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", {{"a.jpg", Bytes("x", 300)},
                           {"a.txt", Bytes("y", 300)},
                           {"b.jpg", Bytes("z", 100)}});
  SourceOptions options;
  options.max_member_bytes = 200;
  auto source = Open(dir / "s.tar", options);
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 2u);
  const Member& big = samples[0].members[0];
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->code, ErrorCode::kLimitExceeded);
  EXPECT_NE(big.error->message.find("a.jpg"), std::string::npos);
  EXPECT_NE(big.error->message.find("300"), std::string::npos);
  EXPECT_TRUE(big.bytes.empty());
  EXPECT_EQ(big.size, 300u);
  EXPECT_FALSE(samples[0].members[1].error);  // not read, so not limited
  EXPECT_FALSE(samples[1].members[0].error);
  EXPECT_EQ(samples[1].members[0].bytes, Bytes("z", 100));
}

TEST(ScanTarSource, TruncatedShardReturnsEarlierSamplesThenAnError) {
  ScratchDir dir;
  std::vector<TarMember> members = {{"a.jpg", Bytes("a", 2000)},
                                    {"b.jpg", Bytes("b", 2000)},
                                    {"c.jpg", Bytes("c", 2000)},
                                    {"d.jpg", Bytes("d", 2000)}};
  WriteTar(dir / "s.tar", members);
  // Cut inside c.jpg's contents: a and b are whole.
  fs::resize_file(dir / "s.tar", 3 * 512 + 2 * 2048 + 1000);
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  auto a = source->Next();
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->key, "a");
  auto b = source->Next();
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->key, "b");
  EXPECT_EQ((*b)->members[0].bytes, Bytes("b", 2000));
  auto c = source->Next();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(c.error().message.find(dir / "s.tar"), std::string::npos);
  EXPECT_NE(c.error().message.find("c.jpg"), std::string::npos);
  EXPECT_NE(c.error().message.find("offset 5120"), std::string::npos)
      << c.error().message;
  EXPECT_FALSE(source->Next().ok());  // and stays failed
}

TEST(ScanTarSource, TruncationInsideASampleKeepsItsWholeMembers) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", {{"a.jpg", Bytes("a", 1000)},
                           {"a.txt", Bytes("t", 1000)},
                           {"a.json", Bytes("j", 1000)}});
  // a.json's header is at 2 * (512 + 1024); cut inside its contents.
  fs::resize_file(dir / "s.tar", 2 * 1536 + 512 + 100);
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  auto partial = source->Next();
  ASSERT_TRUE(partial.ok() && partial->has_value());
  ASSERT_EQ((*partial)->members.size(), 2u);
  EXPECT_EQ((*partial)->members[0].bytes, Bytes("a", 1000));
  auto error = source->Next();
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.error().message.find("a.json"), std::string::npos);
  EXPECT_NE(error.error().message.find("offset 3072"), std::string::npos)
      << error.error().message;
}

TEST(ScanTarSource, TruncatedGzipShardFails) {
  ScratchDir dir;
  std::vector<TarMember> members;
  // Incompressible-ish contents so that cutting the file cuts the members.
  uint32_t state = 12345;
  for (int i = 0; i < 8; ++i) {
    std::vector<uint8_t> bytes(20000);
    for (uint8_t& b : bytes) {
      state = state * 1103515245u + 12345u;
      b = static_cast<uint8_t>(state >> 24);
    }
    std::string name = "k";
    name += std::to_string(i);  // not a + chain: g++ 12 -Wrestrict noise
    name += ".jpg";
    members.push_back({name, bytes});
  }
  WriteTar(dir / "s.tar.gz", members, TarCompression::kGzip);
  fs::resize_file(dir / "s.tar.gz", fs::file_size(dir / "s.tar.gz") / 2);
  auto source = Open(dir / "s.tar.gz");
  ASSERT_NE(source, nullptr);
  size_t good = 0;
  while (true) {
    auto next = source->Next();
    if (!next.ok()) {
      EXPECT_NE(next.error().message.find(dir / "s.tar.gz"), std::string::npos);
      EXPECT_NE(next.error().message.find("offset"), std::string::npos);
      break;
    }
    ASSERT_TRUE(next->has_value()) << "a truncated shard ended cleanly";
    EXPECT_EQ((*next)->members[0].bytes, members[good].bytes);
    ++good;
  }
  EXPECT_GE(good, 2u);
  EXPECT_LT(good, 8u);
}

// A tar with a directory, a symlink and a hard link around regular members.
void WriteTarWithSpecialEntries(const std::string& path) {
  archive* w = archive_write_new();
  archive_write_set_format_pax_restricted(w);
  ASSERT_EQ(archive_write_open_filename(w, path.c_str()), ARCHIVE_OK);
  auto add = [&](const char* name, int type, const std::string& body,
                 const char* link) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, static_cast<unsigned>(type));
    archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
    if (type == AE_IFLNK) archive_entry_set_symlink(e, link);
    if (link != nullptr && type == AE_IFREG)
      archive_entry_set_hardlink(e, link);
    EXPECT_EQ(archive_write_header(w, e), ARCHIVE_OK);
    if (!body.empty()) archive_write_data(w, body.data(), body.size());
    archive_entry_free(e);
  };
  add("d/", AE_IFDIR, "", nullptr);
  add("d/1.jpg", AE_IFREG, "one", nullptr);
  add("d/1.txt", AE_IFREG, "t", nullptr);
  add("d/2.jpg", AE_IFLNK, "", "1.jpg");
  add("d/3.jpg", AE_IFREG, "", "d/1.jpg");
  add("d/4.jpg", AE_IFREG, "four", nullptr);
  archive_write_close(w);
  archive_write_free(w);
}

TEST(ScanTarSource, NonRegularEntriesAreSamplesOfTheirOwn) {
  ScratchDir dir;
  WriteTarWithSpecialEntries(dir / "s.tar");
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  std::vector<Sample> samples = ReadAll(*source);
  ASSERT_EQ(samples.size(), 5u);
  EXPECT_EQ(samples[0].key, "d/");
  EXPECT_EQ(samples[1].key, "d/1");
  EXPECT_EQ(samples[1].members.size(), 2u);
  EXPECT_EQ(samples[2].key, "d/2.jpg");  // the symlink
  EXPECT_EQ(samples[3].key, "d/3.jpg");  // the hard link
  EXPECT_EQ(samples[4].key, "d/4");
  for (int i : {0, 2, 3}) {
    ASSERT_EQ(samples[i].members.size(), 1u);
    const Member& m = samples[i].members[0];
    EXPECT_FALSE(m.image) << m.name;
    EXPECT_TRUE(m.bytes.empty()) << m.name;
    EXPECT_FALSE(m.error) << m.name;
    EXPECT_NE(m.header, nullptr) << m.name;
  }
  EXPECT_EQ(samples[4].members[0].bytes, Bytes("four"));
}

TEST(ScanTarSource, EmptyTarHasNoSamples) {
  ScratchDir dir;
  WriteTar(dir / "s.tar", {});
  auto source = Open(dir / "s.tar");
  ASSERT_NE(source, nullptr);
  auto next = source->Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

TEST(ScanTarSource, OpenFailsOnMissingOrForeignFiles) {
  ScratchDir dir;
  auto missing = OpenSource(testing::TarShard(dir / "none.tar"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find(dir / "none.tar"), std::string::npos);

  std::ofstream(dir / "junk.tar") << std::string(3000, 'j');
  auto junk = OpenSource(testing::TarShard(dir / "junk.tar"), {});
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().message.find(dir / "junk.tar"), std::string::npos);

  std::ofstream(dir / "empty.tar");
  EXPECT_FALSE(OpenSource(testing::TarShard(dir / "empty.tar"), {}).ok());
}

}  // namespace
}  // namespace bulwark::scan

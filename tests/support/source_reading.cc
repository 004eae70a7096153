#include "support/source_reading.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace bulwark::testing {

scan::ShardSpec TarShard(const std::string& path) {
  scan::ShardSpec s;
  s.path = path;
  s.kind = scan::ShardKind::kTar;
  s.id = "test";
  return s;
}

scan::ShardSpec DirectoryShard(const std::string& path) {
  scan::ShardSpec s;
  s.path = path;
  s.kind = scan::ShardKind::kDirectory;
  s.id = std::filesystem::path(path).filename().string();
  return s;
}

std::unique_ptr<scan::Source> OpenOrFail(const scan::ShardSpec& shard,
                                         const scan::SourceOptions& options) {
  auto r = scan::OpenSource(shard, options);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

std::vector<scan::Sample> ReadAll(scan::Source& source) {
  std::vector<scan::Sample> samples;
  while (true) {
    auto next = source.Next();
    EXPECT_TRUE(next.ok()) << next.error().ToString();
    if (!next.ok() || !next->has_value()) return samples;
    samples.push_back(std::move(**next));
  }
}

}  // namespace bulwark::testing

// A small WebDataset-style dataset for scanner tests, built from the benign
// images in tests/data/pdq: tar shards (plain, gzip, zstd) of KEY.jpg +
// KEY.txt + KEY.json samples, a directory tree, and the "known" images a
// test bank is built from. Some samples hold known images byte for byte,
// some hold re-encoded or resized copies of them (PDQ within 31, different
// bytes), some hold corrupt images, and the rest are unrelated.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace bulwark::testing {

struct ScanDataset {
  std::vector<std::string> shards;  // tar shard paths
  std::string directory;            // a directory source
  // The known images as files: build the bank from `bulwark hash` of them.
  std::vector<std::string> known_files;
  std::set<std::string> exact;  // removal lines of byte-identical copies
  std::set<std::string> near;   // removal lines of re-encoded/resized copies
  std::set<std::string> corrupt_members;  // member names of broken images
  int samples = 0;                        // across shards and directory

  std::set<std::string> removal() const {
    std::set<std::string> all = exact;
    all.insert(near.begin(), near.end());
    return all;
  }
};

// Builds the dataset under `root` (created; emptied first).
ScanDataset BuildScanDataset(const std::string& root);

// `count` plain tar shards under `root` of `samples_per_shard` samples each:
// a small JPEG (distinct per sample) plus a `padding_bytes` member of random
// bytes (KEY.npy), for volume and memory tests. Shard i holds known image
// `known_every`-th samples when known_every > 0 (the ski-coffee JPEG bytes
// of BuildScanDataset's known set).
std::vector<std::string> BuildBulkShards(const std::string& root, int count,
                                         int samples_per_shard,
                                         size_t padding_bytes);

}  // namespace bulwark::testing

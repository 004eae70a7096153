// What a source yields: samples, each a group of members (files) sharing a
// key. In a WebDataset shard a sample is "KEY.jpg", "KEY.txt", "KEY.json";
// in a directory, each image file is a sample of one member.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::scan {

// The archive's own header for a member, opaque outside the tar code: the
// filtered-shard writer copies it so kept members keep their names, modes
// and times. Null for directory sources.
struct TarHeader;

struct Member {
  // Name inside the tar ("shard/000001234.jpg"), or the path relative to
  // the scanned directory.
  std::string name;
  // Tar: byte offset of the member's first header block in the
  // uncompressed tar stream (what `tar -R` and WebDataset indexes use).
  // Directory: 0.
  uint64_t offset = 0;
  uint64_t size = 0;   // content bytes
  bool image = false;  // an image by its extension: hashed and matched
  // The contents. Always read for images; for other members only when the
  // source was opened with keep_all_bytes (a filtered shard is written).
  std::vector<uint8_t> bytes;
  // Set when the contents could not be read (over the byte limit, read
  // error); `bytes` is then empty.
  std::optional<Error> error;
  std::shared_ptr<const TarHeader> header;
};

struct Sample {
  // WebDataset key: the member name up to the first '.' of its last path
  // component ("dir/000001234.jpg" -> "dir/000001234"). Directory: the
  // relative path.
  std::string key;
  std::vector<Member> members;  // in archive order

  // Bytes held in memory by this sample.
  uint64_t held_bytes() const {
    uint64_t n = 0;
    for (const Member& m : members) n += m.bytes.size();
    return n;
  }
};

// True when a member name's extension (after the last '.', any case) is
// one of the image formats Bulwark decodes: jpg, jpeg, png, webp, gif,
// bmp, tif, tiff.
bool IsImageName(const std::string& name);

}  // namespace bulwark::scan

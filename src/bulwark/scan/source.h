// Sources read one shard and yield its samples in a stable order with
// bounded memory: one sample at a time, never the whole shard.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "bulwark/core/result.h"
#include "bulwark/scan/sample.h"
#include "bulwark/scan/shard_list.h"

namespace bulwark::scan {

struct SourceOptions {
  // A member larger than this is not read: it gets Member::error
  // (kLimitExceeded) and the scan goes on. Bytes.
  uint64_t max_member_bytes = 256ull << 20;
  // Read non-image members too (needed to write a filtered copy).
  bool keep_all_bytes = false;
};

class Source {
 public:
  virtual ~Source() = default;

  // The next sample, or nullopt at the end of the shard. An error means
  // the rest of the shard cannot be read (a truncated or corrupt archive,
  // a directory that vanished); the samples returned before it stand.
  // Tar shards: consecutive members with the same key form one sample
  // (WebDataset's rule); directory entries and other non-regular members
  // are passed through as members without bytes so a filtered copy keeps
  // them.
  virtual Result<std::optional<Sample>> Next() = 0;

  // Bytes consumed from the file system so far (compressed bytes for
  // compressed shards): what MB/s figures count.
  virtual uint64_t bytes_read() const = 0;
};

// Opens the shard for reading. Fails naming the path if it cannot be
// opened or is not a readable archive.
Result<std::unique_ptr<Source>> OpenSource(const ShardSpec& shard,
                                           const SourceOptions& options);

}  // namespace bulwark::scan

// Writes a copy of a tar shard that leaves out chosen samples: every kept
// member has the same name, header fields, order and contents as in the
// source, in the source's tar format and compression.
#pragma once

#include <memory>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/scan/sample.h"
#include "bulwark/scan/shard_list.h"

namespace bulwark::scan {

class FilteredShardWriter {
 public:
  // Prepares `out_path` (written as `out_path + ".partial"` until Commit).
  // The tar format and compression filter are read from `source`'s file.
  static Result<std::unique_ptr<FilteredShardWriter>> Create(
      const ShardSpec& source, const std::string& out_path);
  virtual ~FilteredShardWriter() = default;

  // Appends every member of `sample` (which must come from a source opened
  // with keep_all_bytes, so each regular member carries its bytes). Fails
  // on a member that has an error: its bytes are unknown.
  virtual Status Write(const Sample& sample) = 0;

  // Finishes the archive, flushes it to disk (fsync) and renames it to
  // out_path. Without Commit, the destructor removes the partial file.
  virtual Status Commit() = 0;
};

}  // namespace bulwark::scan

// Reading WebDataset tar shards (plain or compressed) with libarchive.
#pragma once

#include <memory>

#include "bulwark/core/result.h"
#include "bulwark/scan/source.h"

namespace bulwark::scan {

// Opens `path` and reads its first header, so a file that is not a tar
// archive fails here rather than on the first Next().
//
// Grouping follows WebDataset's group_by_keys: consecutive regular members
// with the same key form one sample, so a key that comes back after other
// keys starts a new sample. Entries that are not regular files (directories,
// symlinks, hard links, devices) are each a sample of their own, with the
// entry's full name as key and one member without bytes (image = false):
// they hold nothing to hash, and keeping them apart means dropping a sample
// never drops a directory entry from a filtered copy. Such an entry ends the
// sample before it.
//
// When the archive turns out corrupt or truncated, the members of the
// current sample that were read in full are still returned as a sample
// (their images are intact and worth checking), then Next() fails naming the
// shard, the member and the offset, and keeps failing.
Result<std::unique_ptr<Source>> OpenTarSource(const std::string& path,
                                              const SourceOptions& options);

}  // namespace bulwark::scan

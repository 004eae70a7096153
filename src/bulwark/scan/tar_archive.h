// Internal to the scan module: opening a tar shard with libarchive, shared
// by the tar source and the filtered-shard writer (which reads the shard's
// format and compression before copying it).
#pragma once

#include <archive.h>

#include <memory>
#include <string>

#include "bulwark/core/result.h"

namespace bulwark::scan {

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReadPtr = std::unique_ptr<archive, ArchiveReadDeleter>;

// libarchive's message for the last error, never null.
std::string ArchiveMessage(archive* a);

// kCorrupt for format problems, kIo for the operating system's errors.
ErrorCode ArchiveErrorCode(archive* a);

// Opens `path` for reading as a tar archive, plain or compressed with gzip,
// zstd, bzip2 or xz, reading `block_bytes` at a time. Errors name the path.
Result<ArchiveReadPtr> OpenTarArchive(const std::string& path,
                                      size_t block_bytes);

}  // namespace bulwark::scan

#include "bulwark/scan/tar_archive.h"

#include <cerrno>

namespace bulwark::scan {

std::string ArchiveMessage(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unknown error";
}

// libarchive reports format problems as EILSEQ (its private
// ARCHIVE_ERRNO_FILE_FORMAT), -1 or EINVAL; anything else came from the
// operating system.
ErrorCode ArchiveErrorCode(archive* a) {
  const int e = archive_errno(a);
  if (e == 0 || e == EILSEQ || e == -1 || e == EINVAL) {
    return ErrorCode::kCorrupt;
  }
  return e == ENOMEM ? ErrorCode::kInternal : ErrorCode::kIo;
}

Result<ArchiveReadPtr> OpenTarArchive(const std::string& path,
                                      size_t block_bytes) {
  ArchiveReadPtr a(archive_read_new());
  if (!a) {
    return MakeError(ErrorCode::kInternal,
                     "out of memory opening '" + path + "'");
  }
  // The compressions shards use, each decoded in-process by a library
  // libarchive links. "All filters" would also run external programs
  // (lrzip, lzop, grzip) on data from the web.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), block_bytes) !=
      ARCHIVE_OK) {
    const ErrorCode code = archive_errno(a.get()) == ENOENT
                               ? ErrorCode::kNotFound
                               : ArchiveErrorCode(a.get());
    return MakeError(
        code, "cannot open shard '" + path + "': " + ArchiveMessage(a.get()));
  }
  return a;
}

}  // namespace bulwark::scan

#include "bulwark/scan/filtered_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "bulwark/core/durable_file.h"
#include "bulwark/scan/tar_archive.h"
#include "bulwark/scan/tar_header.h"

namespace bulwark::scan {
namespace {

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

struct ShardFormat {
  int format = ARCHIVE_FORMAT_TAR_PAX_RESTRICTED;
  int filter = ARCHIVE_FILTER_NONE;
};

// The format libarchive reports is that of the first entry: a pax archive
// whose first entry needs no extended header reads as ustar. Restricted pax
// writes plain ustar headers for every entry ustar can hold (the same
// bytes) and extended headers only where a later entry needs them.
int WriteFormatFor(int read_format) {
  switch (read_format) {
    case ARCHIVE_FORMAT_TAR_GNUTAR:
    case ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE:
      return read_format;
    default:
      return ARCHIVE_FORMAT_TAR_PAX_RESTRICTED;
  }
}

Result<ShardFormat> ReadShardFormat(const std::string& path) {
  auto opened = OpenTarArchive(path, 1 << 16);
  if (!opened.ok()) return opened.error();
  ArchiveReadPtr a = std::move(*opened);
  archive_entry* entry = nullptr;
  const int r = archive_read_next_header(a.get(), &entry);
  if (r < ARCHIVE_WARN) {
    return MakeError(ErrorCode::kCorrupt,
                     "'" + path + "' is not a readable tar archive: " +
                         ArchiveMessage(a.get()));
  }
  ShardFormat format;
  format.filter = archive_filter_code(a.get(), 0);
  if (r != ARCHIVE_EOF) format.format = WriteFormatFor(archive_format(a.get()));
  return format;
}

class Writer final : public FilteredShardWriter {
 public:
  Writer(std::string out_path, archive* w)
      : out_path_(std::move(out_path)),
        partial_path_(out_path_ + ".partial"),
        w_(w) {}

  ~Writer() override {
    if (w_ != nullptr) archive_write_free(w_);
    if (!committed_) std::remove(partial_path_.c_str());
  }

  Status Open() {
    if (archive_write_open_filename(w_, partial_path_.c_str()) != ARCHIVE_OK) {
      return MakeError(ErrorCode::kIo, "cannot create '" + partial_path_ +
                                           "': " + ArchiveMessage(w_));
    }
    return Ok{};
  }

  Status Write(const Sample& sample) override {
    if (w_ == nullptr || failed_) {
      return MakeError(ErrorCode::kInternal,
                       "'" + partial_path_ + "' is closed or failed");
    }
    for (const Member& m : sample.members) {
      Status st = WriteMember(m);
      if (!st.ok()) {
        failed_ = true;
        return st;
      }
    }
    return Ok{};
  }

  Status Commit() override {
    if (w_ == nullptr || failed_) {
      return MakeError(ErrorCode::kInternal,
                       "'" + partial_path_ + "' is closed or failed");
    }
    const int r = archive_write_close(w_);
    const std::string message = ArchiveMessage(w_);
    archive_write_free(w_);
    w_ = nullptr;
    if (r != ARCHIVE_OK) {
      return MakeError(ErrorCode::kIo,
                       "cannot finish '" + partial_path_ + "': " + message);
    }
    Status st = SyncPath(partial_path_);
    if (!st.ok()) return st;
    if (std::rename(partial_path_.c_str(), out_path_.c_str()) != 0) {
      return MakeError(ErrorCode::kIo, "cannot rename '" + partial_path_ +
                                           "' to '" + out_path_ +
                                           "': " + std::strerror(errno));
    }
    committed_ = true;
    // The rename itself is durable only once the directory is synced.
    std::string dir = std::filesystem::path(out_path_).parent_path().string();
    return SyncPath(dir.empty() ? "." : dir);
  }

 private:
  Status WriteMember(const Member& m) {
    if (m.error) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "member '" + m.name + "' cannot be copied to '" +
                           out_path_ + "': " + m.error->message);
    }
    if (!m.header || m.header->entry == nullptr) {
      return MakeError(ErrorCode::kInternal,
                       "member '" + m.name + "' has no tar header to copy");
    }
    // Writers may adjust the entry (a link's size to 0); keep the shared
    // header as read.
    std::unique_ptr<archive_entry, EntryDeleter> entry(
        archive_entry_clone(m.header->entry));
    if (!entry) {
      return MakeError(ErrorCode::kInternal, "out of memory");
    }
    const bool regular = archive_entry_filetype(entry.get()) == AE_IFREG &&
                         archive_entry_hardlink(entry.get()) == nullptr;
    if (regular && m.bytes.size() != m.size) {
      return MakeError(ErrorCode::kInternal,
                       "member '" + m.name + "' holds " +
                           std::to_string(m.bytes.size()) + " of its " +
                           std::to_string(m.size) +
                           " bytes (source not opened with keep_all_bytes)");
    }
    if (archive_write_header(w_, entry.get()) < ARCHIVE_WARN) {
      return MakeError(ErrorCode::kIo, "cannot write the header of '" + m.name +
                                           "' to '" + partial_path_ +
                                           "': " + ArchiveMessage(w_));
    }
    if (!regular) return Ok{};
    size_t done = 0;
    while (done < m.bytes.size()) {
      const la_ssize_t n =
          archive_write_data(w_, m.bytes.data() + done, m.bytes.size() - done);
      if (n <= 0) {
        return MakeError(ErrorCode::kIo, "cannot write member '" + m.name +
                                             "' to '" + partial_path_ +
                                             "': " + ArchiveMessage(w_));
      }
      done += static_cast<size_t>(n);
    }
    return Ok{};
  }

  const std::string out_path_;
  const std::string partial_path_;
  archive* w_;
  bool committed_ = false;
  bool failed_ = false;
};

Status AddFilter(archive* w, int filter, const std::string& source) {
  switch (filter) {
    case ARCHIVE_FILTER_NONE:
    case ARCHIVE_FILTER_GZIP:
    case ARCHIVE_FILTER_ZSTD:
    case ARCHIVE_FILTER_BZIP2:
    case ARCHIVE_FILTER_XZ:
      break;
    default:
      return MakeError(ErrorCode::kUnsupported,
                       "cannot write a filtered copy of '" + source +
                           "': its compression (" + std::to_string(filter) +
                           ") is not one of gzip, zstd, bzip2, xz");
  }
  if (archive_write_add_filter(w, filter) != ARCHIVE_OK) {
    return MakeError(ErrorCode::kUnsupported,
                     "cannot write the compression of '" + source +
                         "': " + ArchiveMessage(w));
  }
  return Ok{};
}

}  // namespace

Result<std::unique_ptr<FilteredShardWriter>> FilteredShardWriter::Create(
    const ShardSpec& source, const std::string& out_path) {
  if (source.kind != ShardKind::kTar) {
    return MakeError(ErrorCode::kUnsupported,
                     "--write-filtered applies to tar shards, and '" +
                         source.path + "' is a directory");
  }
  auto format = ReadShardFormat(source.path);
  if (!format.ok()) return format.error();
  archive* w = archive_write_new();
  if (w == nullptr) return MakeError(ErrorCode::kInternal, "out of memory");
  // The writer owns `w` from here on, so every early return frees it.
  auto writer = std::make_unique<Writer>(out_path, w);
  if (archive_write_set_format(w, format->format) != ARCHIVE_OK) {
    return MakeError(ErrorCode::kUnsupported,
                     "cannot write the tar format of '" + source.path +
                         "': " + ArchiveMessage(w));
  }
  Status st = AddFilter(w, format->filter, source.path);
  if (!st.ok()) return st.error();
  st = writer->Open();
  if (!st.ok()) return st.error();
  return std::unique_ptr<FilteredShardWriter>(std::move(writer));
}

}  // namespace bulwark::scan

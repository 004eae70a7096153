#include "support/tar_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

namespace bulwark::testing {

void WriteTar(const std::string& path, const std::vector<TarMember>& members,
              TarCompression c) {
  archive* w = archive_write_new();
  archive_write_set_format_pax_restricted(w);
  if (c == TarCompression::kGzip) archive_write_add_filter_gzip(w);
  if (c == TarCompression::kZstd) archive_write_add_filter_zstd(w);
  if (archive_write_open_filename(w, path.c_str()) != ARCHIVE_OK) {
    ADD_FAILURE() << "cannot create " << path << ": "
                  << archive_error_string(w);
    archive_write_free(w);
    return;
  }
  for (const TarMember& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(m.bytes.size()));
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_uid(e, 1000);
    archive_entry_set_gid(e, 1000);
    if (archive_write_header(w, e) != ARCHIVE_OK ||
        (!m.bytes.empty() &&
         archive_write_data(w, m.bytes.data(), m.bytes.size()) !=
             static_cast<la_ssize_t>(m.bytes.size()))) {
      ADD_FAILURE() << "cannot write " << m.name << " to " << path << ": "
                    << archive_error_string(w);
    }
    archive_entry_free(e);
  }
  if (archive_write_close(w) != ARCHIVE_OK) {
    ADD_FAILURE() << "cannot finish " << path << ": "
                  << archive_error_string(w);
  }
  archive_write_free(w);
}

std::vector<TarMember> ReadTar(const std::string& path) {
  std::vector<TarMember> members;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << archive_error_string(a);
    archive_read_free(a);
    return members;
  }
  archive_entry* e = nullptr;
  int r;
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
         r == ARCHIVE_WARN) {
    if (archive_entry_filetype(e) != AE_IFREG ||
        archive_entry_hardlink(e) != nullptr) {
      continue;
    }
    TarMember m;
    m.name = archive_entry_pathname(e);
    m.bytes.resize(static_cast<size_t>(archive_entry_size(e)));
    size_t done = 0;
    while (done < m.bytes.size()) {
      la_ssize_t n =
          archive_read_data(a, m.bytes.data() + done, m.bytes.size() - done);
      if (n <= 0) {
        ADD_FAILURE() << "cannot read " << m.name << " in " << path << ": "
                      << archive_error_string(a);
        break;
      }
      done += static_cast<size_t>(n);
    }
    members.push_back(std::move(m));
  }
  if (r != ARCHIVE_EOF) {
    ADD_FAILURE() << "cannot read " << path << ": " << archive_error_string(a);
  }
  archive_read_free(a);
  return members;
}

}  // namespace bulwark::testing

// Internal to the scan module: the tar source keeps each member's libarchive
// header so the filtered-shard writer can write it back unchanged.
#pragma once

#include <archive_entry.h>

#include "bulwark/scan/sample.h"

namespace bulwark::scan {

struct TarHeader {
  // Takes a clone of `source`: libarchive reuses its own entry for the next
  // header, while members outlive the read that produced them.
  explicit TarHeader(archive_entry* source)
      : entry(archive_entry_clone(source)) {}
  ~TarHeader() {
    if (entry != nullptr) archive_entry_free(entry);
  }
  TarHeader(const TarHeader&) = delete;
  TarHeader& operator=(const TarHeader&) = delete;

  // Null only when libarchive ran out of memory while cloning.
  archive_entry* entry;
};

}  // namespace bulwark::scan

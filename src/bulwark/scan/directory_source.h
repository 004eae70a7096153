// Reading a directory tree of image files as a shard.
#pragma once

#include <memory>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/scan/source.h"

namespace bulwark::scan {

// Walks `root` recursively, yielding files in byte-wise order of their
// relative paths (as `find | LC_ALL=C sort` and `bulwark hash` order them),
// lazily: one sorted directory listing in memory per level being walked. Every
// regular file with an image name is a sample of one member whose key and name
// are its path relative to `root` ('/' separated). Symbolic links are not
// followed, to files or directories: a link can point outside the tree or loop,
// and a dataset's own copy of the file is what counts. Other files are skipped.
//
// A file that cannot be read, or is larger than max_member_bytes (checked
// before reading), is a member with an error. A subdirectory that cannot be
// listed is a sample whose key and name are its relative path with one
// member (image = false) carrying the error, and the walk goes on. Only the
// root vanishing fails Next().
Result<std::unique_ptr<Source>> OpenDirectorySource(
    const std::string& root, const SourceOptions& options);

}  // namespace bulwark::scan

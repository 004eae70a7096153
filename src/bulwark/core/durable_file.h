// Writes that survive a crash or a kill at any moment: a reader finds the
// old file or the new one, never a torn mix, and after the call returns the
// new one is on disk.
#pragma once

#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark {

// Writes `content` to a temporary file beside `path`, flushes it (fsync),
// renames it over `path` and flushes the directory. `mode` is the new file's
// permission bits (before the umask); 0600 for files holding secrets.
Status WriteFileDurably(const std::string& path, std::string_view content,
                        unsigned mode = 0644);

// fsync of a file or a directory (a directory's fsync makes the renames and
// creations inside it durable).
Status SyncPath(const std::string& path);

}  // namespace bulwark

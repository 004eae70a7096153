// Turns the PATH arguments of a command into the list of files to process.
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace bulwark::cli {

// Each argument is a file, a directory (walked recursively; entries sorted
// so runs are reproducible; symlinks to directories are not followed, to
// avoid cycles) or "-" (read one path per line from `in`). Paths that do
// not exist are kept: processing them reports the error per file.
std::vector<std::string> ExpandPaths(const std::vector<std::string>& args,
                                     std::istream& in);

}  // namespace bulwark::cli

#include "bulwark/cli/path_list.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace bulwark::cli {
namespace fs = std::filesystem;

namespace {

void AddPath(const std::string& path, std::vector<std::string>& out) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    out.push_back(path);
    return;
  }
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(
      path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_directory(type_ec)) files.push_back(it->path().string());
  }
  if (ec) files.push_back(path);  // Reported as an error when processed.
  std::sort(files.begin(), files.end());
  out.insert(out.end(), files.begin(), files.end());
}

}  // namespace

std::vector<std::string> ExpandPaths(const std::vector<std::string>& args,
                                     std::istream& in) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    if (arg != "-") {
      AddPath(arg, out);
      continue;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) AddPath(line, out);
    }
  }
  return out;
}

}  // namespace bulwark::cli

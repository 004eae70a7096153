#include "support/scratch_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace bulwark::testing {
namespace fs = std::filesystem;

ScratchDir::ScratchDir() {
  std::string tmpl = (fs::temp_directory_path() / "bulwark-test-XXXXXX");
  path_ = mkdtemp(tmpl.data());
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add,
                    ec);
  }
  fs::remove_all(path_, ec);
}

std::string ScratchDir::operator/(const std::string& name) const {
  return (fs::path(path_) / name).string();
}

void ScratchDir::Write(const std::string& name, const std::string& body) const {
  fs::create_directories(fs::path(*this / name).parent_path());
  std::ofstream(*this / name, std::ios::binary) << body;
}

}  // namespace bulwark::testing

// A fresh temporary directory for one test, removed with everything in it
// when the test ends.
#pragma once

#include <string>

namespace bulwark::testing {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();  // restores permissions a test took away, then removes
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const;
  // Writes `body` to `name` (a relative path), creating parent directories.
  void Write(const std::string& name, const std::string& body) const;
  void Touch(const std::string& name) const { Write(name, ""); }

 private:
  std::string path_;
};

}  // namespace bulwark::testing

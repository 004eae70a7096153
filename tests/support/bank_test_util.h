// Helpers for the bank tests: private temporary data directories and
// synthetic hash values (random hex, nothing derived from real content).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace bulwark::testing {

// A fresh directory under the test temp dir, unique to this process and
// call, removed with everything in it when the object goes.
class BankTempDir {
 public:
  BankTempDir();
  ~BankTempDir();
  BankTempDir(const BankTempDir&) = delete;
  BankTempDir& operator=(const BankTempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `digits` random lowercase hex digits.
std::string RandomHex(std::mt19937_64& rng, int digits);

// Writes `text` to `path`, replacing it.
void BankWriteFile(const std::string& path, const std::string& text);

}  // namespace bulwark::testing

#include "support/bank_test_util.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

namespace bulwark::testing {

BankTempDir::BankTempDir() {
  static std::atomic<int> counter{0};
  const char* base = std::getenv("TEST_TMPDIR");
  std::string root = base != nullptr ? base : "/tmp";
  path_ = root + "/bulwark_bank_test_" + std::to_string(getpid()) + "_" +
          std::to_string(counter++);
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

BankTempDir::~BankTempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string RandomHex(std::mt19937_64& rng, int digits) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (char& c : out) c = kDigits[rng() & 15];
  return out;
}

void BankWriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace bulwark::testing

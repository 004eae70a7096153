// Where test data lives, and small readers for it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::testing {

// The project's own test data (tests/data).
std::string TestDataDir();
// ../shared/testdata/pdq beside the project root; may not exist.
std::string SharedPdqDir();
bool Exists(const std::string& path);

// Lines of a simple CSV (no quoted commas), split on commas, header dropped.
std::vector<std::vector<std::string>> ReadSimpleCsv(const std::string& path);

std::vector<uint8_t> ReadBytes(const std::string& path);

}  // namespace bulwark::testing

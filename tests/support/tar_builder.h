// Writing and reading small tar shards in tests, through libarchive.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::testing {

struct TarMember {
  std::string name;
  std::vector<uint8_t> bytes;
};

enum class TarCompression { kNone, kGzip, kZstd };

// Writes `members` as regular files (mode 0644, fixed owner and mtime) in
// restricted pax format: plain ustar headers unless a name needs more.
// Failures are reported as test failures.
void WriteTar(const std::string& path, const std::vector<TarMember>& members,
              TarCompression c = TarCompression::kNone);

// The regular-file members of any tar libarchive reads, in archive order.
std::vector<TarMember> ReadTar(const std::string& path);

}  // namespace bulwark::testing

#include "bulwark/provenance/locate_png.h"

#include <cstring>
#include <string>

namespace bulwark::provenance {

Result<std::optional<EmbeddedStore>> LocatePngStore(
    std::span<const uint8_t> png, size_t max_store_bytes) {
  static constexpr uint8_t kSignature[8] = {0x89, 'P',  'N',  'G',
                                            '\r', '\n', 0x1a, '\n'};
  if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "not a PNG file");
  }
  std::optional<EmbeddedStore> found;
  size_t pos = 8;
  while (png.size() - pos >= 12) {
    const uint8_t* p = &png[pos];
    const uint64_t length = uint64_t{p[0]} << 24 | uint64_t{p[1]} << 16 |
                            uint64_t{p[2]} << 8 | p[3];
    if (length > png.size() - pos - 12) {
      if (std::memcmp(p + 4, "caBX", 4) != 0) break;
      return MakeError(ErrorCode::kCorrupt,
                       "PNG 'caBX' chunk at offset " + std::to_string(pos) +
                           " declares " + std::to_string(length) +
                           " bytes but only " +
                           std::to_string(png.size() - pos - 12) + " remain");
    }
    const size_t end = pos + 12 + static_cast<size_t>(length);
    if (std::memcmp(p + 4, "caBX", 4) == 0) {
      if (found) {
        return MakeError(ErrorCode::kCorrupt,
                         "PNG has two C2PA manifest stores ('caBX' chunks at "
                         "offsets " +
                             std::to_string(found->begin) + " and " +
                             std::to_string(pos) + ")");
      }
      if (length > max_store_bytes) {
        return MakeError(ErrorCode::kLimitExceeded,
                         "C2PA manifest store of " + std::to_string(length) +
                             " bytes exceeds the limit of " +
                             std::to_string(max_store_bytes));
      }
      found.emplace();
      found->jumbf.assign(p + 8, p + 8 + length);
      found->begin = pos;
      found->end = end;
    }
    if (std::memcmp(p + 4, "IEND", 4) == 0) break;
    pos = end;
  }
  return found;
}

}  // namespace bulwark::provenance

#include "bulwark/media/exif.h"

#include <cstring>

namespace bulwark::media {
namespace {

constexpr uint16_t kOrientationTag = 0x0112;
constexpr uint16_t kTypeShort = 3;

class Reader {
 public:
  Reader(std::span<const uint8_t> data, bool big_endian)
      : data_(data), big_endian_(big_endian) {}

  // Each returns false, leaving *out alone, when the read would leave data_.
  bool U16(uint64_t offset, uint16_t* out) const {
    if (offset > data_.size() || data_.size() - offset < 2) return false;
    const uint8_t* p = data_.data() + offset;
    *out = big_endian_ ? static_cast<uint16_t>(p[0] << 8 | p[1])
                       : static_cast<uint16_t>(p[1] << 8 | p[0]);
    return true;
  }
  bool U32(uint64_t offset, uint32_t* out) const {
    if (offset > data_.size() || data_.size() - offset < 4) return false;
    const uint8_t* p = data_.data() + offset;
    *out = big_endian_ ? (uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 |
                          uint32_t{p[2]} << 8 | p[3])
                       : (uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 |
                          uint32_t{p[1]} << 8 | p[0]);
    return true;
  }

 private:
  std::span<const uint8_t> data_;
  bool big_endian_;
};

}  // namespace

Orientation ParseExifOrientation(std::span<const uint8_t> exif) {
  static constexpr uint8_t kExifId[6] = {'E', 'x', 'i', 'f', 0, 0};
  if (exif.size() >= 6 && std::memcmp(exif.data(), kExifId, 6) == 0) {
    exif = exif.subspan(6);
  }
  if (exif.size() < 8) return Orientation::kTopLeft;
  bool big_endian;
  if (exif[0] == 'I' && exif[1] == 'I') {
    big_endian = false;
  } else if (exif[0] == 'M' && exif[1] == 'M') {
    big_endian = true;
  } else {
    return Orientation::kTopLeft;
  }
  const Reader r(exif, big_endian);
  uint16_t magic = 0;
  uint32_t ifd0 = 0;
  if (!r.U16(2, &magic) || magic != 42 || !r.U32(4, &ifd0)) {
    return Orientation::kTopLeft;
  }
  uint16_t count = 0;
  if (!r.U16(ifd0, &count)) return Orientation::kTopLeft;
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t entry = uint64_t{ifd0} + 2 + uint64_t{i} * 12;
    uint16_t tag = 0, type = 0, value = 0;
    uint32_t n = 0;
    if (!r.U16(entry, &tag) || !r.U16(entry + 2, &type) ||
        !r.U32(entry + 4, &n) || !r.U16(entry + 8, &value)) {
      return Orientation::kTopLeft;  // IFD runs past the block
    }
    if (tag != kOrientationTag) continue;
    if (type != kTypeShort || n != 1 || value < 1 || value > 8) {
      return Orientation::kTopLeft;
    }
    return static_cast<Orientation>(value);
  }
  return Orientation::kTopLeft;
}

}  // namespace bulwark::media

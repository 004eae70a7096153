#include "bulwark/media/bmp_decoder.h"

#include <bit>
#include <cstring>
#include <string>

#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

constexpr size_t kFileHeaderSize = 14;
constexpr uint32_t kCoreHeaderSize = 12;
constexpr uint32_t kBiRgb = 0, kBiRle8 = 1, kBiRle4 = 2, kBiBitfields = 3,
                   kBiJpeg = 4, kBiPng = 5, kBiAlphaBitfields = 6;

uint16_t Le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | p[1] << 8);
}
uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
         uint32_t{p[3]} << 24;
}

Error Corrupt(std::string message) {
  return MakeError(ErrorCode::kCorrupt, "BMP " + std::move(message));
}
Error Truncated() {
  return MakeError(ErrorCode::kCorrupt, "BMP data ends early (truncated file)");
}

// One colour channel of a BI_BITFIELDS pixel: a contiguous run of bits.
struct Channel {
  uint32_t mask = 0;
  int shift = 0;
  uint32_t max = 0;  // mask >> shift; 0 for an absent channel

  // Scales to 0..255 with rounding, whatever the channel's width.
  uint8_t Extract(uint32_t pixel) const {
    if (max == 0) return 0;
    const uint64_t v = (pixel & mask) >> shift;
    return static_cast<uint8_t>((v * 255 + max / 2) / max);
  }
};

bool MakeChannel(uint32_t mask, Channel* out) {
  out->mask = mask;
  if (mask == 0) return true;
  out->shift = std::countr_zero(mask);
  out->max = mask >> out->shift;
  return (out->max & (out->max + 1)) == 0;  // contiguous ones
}

struct Header {
  int64_t width = 0;
  int64_t height = 0;  // absolute value
  bool top_down = false;
  uint16_t bpp = 0;
  uint32_t compression = kBiRgb;
  uint32_t colors_used = 0;
  size_t palette_offset = 0;
  int palette_entry_size = 4;
  bool has_masks = false;
  uint32_t masks[3] = {0, 0, 0};
};

// Parses the DIB header that follows the 14-byte file header.
Result<Header> ParseHeader(std::span<const uint8_t> b) {
  if (b.size() < kFileHeaderSize + 4) return Truncated();
  const uint32_t size = Le32(&b[kFileHeaderSize]);
  Header h;
  if (size == kCoreHeaderSize) {
    if (b.size() < kFileHeaderSize + size) return Truncated();
    const uint8_t* p = &b[kFileHeaderSize];
    h.width = Le16(p + 4);
    h.height = Le16(p + 6);
    h.bpp = Le16(p + 10);
    h.palette_offset = kFileHeaderSize + size;
    h.palette_entry_size = 3;
    return h;
  }
  if (size == 64) {
    return MakeError(ErrorCode::kUnsupported,
                     "BMP uses the OS/2 2.x header, which is not supported");
  }
  if (size != 40 && size != 52 && size != 56 && size != 108 && size != 124) {
    return Corrupt("has an unknown header size (" + std::to_string(size) +
                   " bytes)");
  }
  if (b.size() < kFileHeaderSize + size) return Truncated();
  const uint8_t* p = &b[kFileHeaderSize];
  h.width = static_cast<int32_t>(Le32(p + 4));
  const int32_t height = static_cast<int32_t>(Le32(p + 8));
  h.top_down = height < 0;
  h.height = height < 0 ? -int64_t{height} : height;
  h.bpp = Le16(p + 14);
  h.compression = Le32(p + 16);
  h.colors_used = Le32(p + 32);
  h.palette_offset = kFileHeaderSize + size;
  if (h.compression == kBiBitfields || h.compression == kBiAlphaBitfields) {
    h.has_masks = true;
    if (size >= 52) {
      for (int i = 0; i < 3; ++i) h.masks[i] = Le32(p + 40 + 4 * i);
    } else {
      // The plain 40-byte header keeps its masks right after it.
      const size_t n = h.compression == kBiAlphaBitfields ? 16 : 12;
      if (b.size() < h.palette_offset + n) return Truncated();
      for (int i = 0; i < 3; ++i) {
        h.masks[i] = Le32(&b[h.palette_offset + 4 * i]);
      }
      h.palette_offset += n;
    }
  }
  return h;
}

}  // namespace

Result<Image> BmpDecoder::Decode(std::span<const uint8_t> bytes,
                                 const DecodeOptions& options) const {
  if (bytes.size() < 2 || bytes[0] != 'B' || bytes[1] != 'M') {
    return Corrupt("signature is missing");
  }
  Result<Header> parsed = ParseHeader(bytes);
  if (!parsed.ok()) return parsed.error();
  const Header& h = *parsed;
  if (h.width <= 0 || h.height <= 0) {
    return Corrupt("image is " + std::to_string(h.width) + "x" +
                   std::to_string(h.height) + ": zero or negative size");
  }
  if (Status size = CheckImageSize(h.width, h.height, options.limits);
      !size.ok()) {
    return size.error();
  }
  switch (h.compression) {
    case kBiRgb:
      break;
    case kBiBitfields:
    case kBiAlphaBitfields:
      if (h.bpp != 16 && h.bpp != 32) {
        return Corrupt("uses bit fields with " + std::to_string(h.bpp) +
                       " bits per pixel");
      }
      break;
    case kBiRle8:
    case kBiRle4:
      return MakeError(ErrorCode::kUnsupported,
                       "BMP uses RLE compression, which is not supported");
    case kBiJpeg:
    case kBiPng:
      return MakeError(ErrorCode::kUnsupported,
                       "BMP embeds JPEG or PNG data, which is not supported");
    default:
      return Corrupt("has an unknown compression type (" +
                     std::to_string(h.compression) + ")");
  }
  if (h.bpp != 1 && h.bpp != 4 && h.bpp != 8 && h.bpp != 16 && h.bpp != 24 &&
      h.bpp != 32) {
    return MakeError(ErrorCode::kUnsupported,
                     "BMP with " + std::to_string(h.bpp) +
                         " bits per pixel is not supported");
  }

  // Palette: colors_used entries (0 means the full 2^bpp), clamped to what
  // the depth can index; entries stored B, G, R[, reserved].
  uint8_t palette[256][3] = {};
  uint32_t palette_size = 0;
  if (h.bpp <= 8) {
    const uint32_t full = 1u << h.bpp;
    palette_size =
        h.colors_used == 0 || h.colors_used > full ? full : h.colors_used;
    const uint64_t end = uint64_t{h.palette_offset} +
                         uint64_t{palette_size} * h.palette_entry_size;
    if (end > bytes.size()) return Truncated();
    for (uint32_t i = 0; i < palette_size; ++i) {
      const uint8_t* e = &bytes[h.palette_offset + i * h.palette_entry_size];
      palette[i][0] = e[2];
      palette[i][1] = e[1];
      palette[i][2] = e[0];
    }
  }

  Channel channels[3];
  if (h.bpp == 16 || h.bpp == 32) {
    uint32_t masks[3];
    if (h.has_masks) {
      std::memcpy(masks, h.masks, sizeof masks);
    } else if (h.bpp == 16) {
      masks[0] = 0x7C00;
      masks[1] = 0x03E0;
      masks[2] = 0x001F;  // 5-5-5
    } else {
      masks[0] = 0xFF0000;
      masks[1] = 0x00FF00;
      masks[2] = 0x0000FF;
    }
    for (int i = 0; i < 3; ++i) {
      if (!MakeChannel(masks[i], &channels[i])) {
        return Corrupt("has a colour mask whose bits are not contiguous");
      }
    }
  }

  const uint32_t pixel_offset = Le32(&bytes[10]);
  const uint64_t stride = (uint64_t(h.width) * h.bpp + 31) / 32 * 4;
  if (pixel_offset > bytes.size() ||
      (bytes.size() - pixel_offset) / stride < uint64_t(h.height)) {
    return Truncated();
  }

  const int width = static_cast<int>(h.width);
  const int height = static_cast<int>(h.height);
  Image image = AllocateImage(width, height, PixelFormat::kRgb8);
  for (int y = 0; y < height; ++y) {
    const int stored_row = h.top_down ? y : height - 1 - y;
    const uint8_t* src = &bytes[pixel_offset + stored_row * stride];
    uint8_t* out = image.row(y);
    for (int x = 0; x < width; ++x, out += 3) {
      switch (h.bpp) {
        case 1:
        case 4:
        case 8: {
          const uint64_t bit = uint64_t(x) * h.bpp;
          const int shift = 8 - h.bpp - static_cast<int>(bit % 8);
          const uint32_t index = (src[bit / 8] >> shift) & ((1u << h.bpp) - 1);
          // Indices past a short palette show black, as browsers do.
          if (index < palette_size) std::memcpy(out, palette[index], 3);
          break;
        }
        case 24:
          out[0] = src[x * 3 + 2];
          out[1] = src[x * 3 + 1];
          out[2] = src[x * 3];
          break;
        case 16:
        case 32: {
          const uint32_t v =
              h.bpp == 16 ? Le16(src + x * 2) : Le32(src + size_t(x) * 4);
          for (int c = 0; c < 3; ++c) out[c] = channels[c].Extract(v);
          break;
        }
      }
    }
  }
  return image;
}

}  // namespace bulwark::media

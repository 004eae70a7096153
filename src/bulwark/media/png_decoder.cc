#include "bulwark/media/png_decoder.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/media/exif.h"
#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

// Ancillary chunks (text, ICC profiles) are decompressed into memory; real
// ones are far smaller than this, decompression bombs are not.
constexpr png_alloc_size_t kMaxChunkBytes = 8u << 20;
// Caps the number of stored ancillary chunks (text, sPLT, unknown).
constexpr png_uint_32 kMaxCachedChunks = 1000;

// libpng reports errors by longjmp, which skips destructors, so every object
// with a destructor that the decode needs lives here, owned by the caller.
struct Session {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::span<const uint8_t> bytes;
  const DecodeLimits* limits = nullptr;
  size_t pos = 0;
  ErrorCode code = ErrorCode::kCorrupt;
  std::string message;
  bool over_user_limit = false;  // libpng's own side limit tripped
  Image image;
  std::vector<png_bytep> rows;
};

Session* SessionOf(png_structp png) {
  return static_cast<Session*>(png_get_error_ptr(png));
}

// Failing is two statements, SetError(...) then png_longjmp(...), so that
// every temporary string of the first is destroyed before the jump.
void SetError(png_structp png, ErrorCode code, std::string message) {
  Session* s = SessionOf(png);
  s->code = code;
  s->message = std::move(message);
}

// Checks a header's size; on failure records the error and returns false.
bool SizeAllowed(png_structp png, uint64_t width, uint64_t height,
                 const DecodeLimits& limits) {
  Status size = CheckImageSize(width, height, limits);
  if (size.ok()) return true;
  SetError(png, size.error().code, size.error().message);
  return false;
}

// libpng's messages look like "IDAT: CRC error"; say it in full sentences.
std::string DescribeLibraryError(const char* text) {
  std::string msg = text;
  const std::string crc = ": CRC error";
  if (msg.size() == 4 + crc.size() && msg.ends_with(crc)) {
    return "PNG CRC error in chunk " + msg.substr(0, 4);
  }
  return "PNG data is corrupt: " + msg;
}

uint32_t BigEndian32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 |
         p[3];
}

void OnError(png_structp png, png_const_charp text) {
  Session* s = SessionOf(png);
  // Our own read callback already set a precise message.
  if (!s->message.empty()) png_longjmp(png, 1);
  if (s->over_user_limit && s->bytes.size() >= 24) {
    // libpng rejects IHDR over png_set_user_limits as "Invalid IHDR data";
    // report the size the way every other decoder does. IHDR is always the
    // first chunk, so its fields are at fixed offsets.
    if (!SizeAllowed(png, BigEndian32(&s->bytes[16]),
                     BigEndian32(&s->bytes[20]), *s->limits)) {
      png_longjmp(png, 1);
    }
  }
  SetError(png, ErrorCode::kCorrupt, DescribeLibraryError(text));
  png_longjmp(png, 1);
}

// Warnings cover benign problems (a bad ancillary chunk, which libpng then
// skips); the pixels are still right, so they are ignored, never printed.
void OnWarning(png_structp png, png_const_charp text) {
  if (std::strstr(text, "exceeds user limit") != nullptr) {
    SessionOf(png)->over_user_limit = true;
  }
}

void OnRead(png_structp png, png_bytep out, png_size_t length) {
  Session* s = static_cast<Session*>(png_get_io_ptr(png));
  if (s->bytes.size() - s->pos < length) {
    SetError(png, ErrorCode::kCorrupt, "PNG data ends early (truncated file)");
    png_longjmp(png, 1);
  }
  if (length == 0) return;
  std::memcpy(out, s->bytes.data() + s->pos, length);
  s->pos += length;
}

Orientation FindOrientation(Session* s) {
  png_uint_32 size = 0;
  png_bytep exif = nullptr;
  if (png_get_eXIf_1(s->png, s->info, &size, &exif) != 0 && exif != nullptr) {
    return ParseExifOrientation({exif, size});
  }
  return Orientation::kTopLeft;
}

// The decode proper, only ever called under the setjmp in Run(); creates no
// objects with destructors.
void DecodeSteps(Session* s, const DecodeOptions& options) {
  png_structp png = s->png;
  png_infop info = s->info;
  png_set_read_fn(png, s, OnRead);
  png_set_user_limits(png, options.limits.max_side, options.limits.max_side);
  png_set_chunk_malloc_max(png, kMaxChunkBytes);
  png_set_chunk_cache_max(png, kMaxCachedChunks);
  png_read_info(png, info);

  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  if (!SizeAllowed(png, width, height, options.limits)) png_longjmp(png, 1);

  const int color_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  // Expansion turns palette into RGB, <8-bit grey into 0..255 (1-bit gives
  // 0/255) and tRNS into an alpha channel, which strip_alpha then drops
  // without compositing.
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) {
    png_set_expand_gray_1_2_4_to_8(png);
  }
  if (png_get_valid(png, info, PNG_INFO_tRNS) != 0) png_set_tRNS_to_alpha(png);
  if (bit_depth == 16) png_set_scale_16(png);  // round(v * 255 / 65535)
  png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || (channels != 1 && channels != 3)) {
    SetError(png, ErrorCode::kInternal, "PNG pixel conversion failed");
    png_longjmp(png, 1);
  }
  const PixelFormat format =
      channels == 1 ? PixelFormat::kGray8 : PixelFormat::kRgb8;
  s->image =
      AllocateImage(static_cast<int>(width), static_cast<int>(height), format);
  if (png_get_rowbytes(png, info) != s->image.row_bytes()) {
    SetError(png, ErrorCode::kInternal, "PNG row size mismatch");
    png_longjmp(png, 1);
  }
  s->rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) {
    s->rows[y] = s->image.row(static_cast<int>(y));
  }
  png_read_image(png, s->rows.data());
  // Reads to IEND so that truncation and CRC errors after the pixel data
  // are caught, and so that an eXIf chunk after IDAT is seen.
  png_read_end(png, info);
  s->image.orientation = FindOrientation(s);
}

bool Run(Session* s, const DecodeOptions& options) {
  if (setjmp(png_jmpbuf(s->png)) != 0) return false;
  DecodeSteps(s, options);
  return true;
}

}  // namespace

Result<Image> PngDecoder::Decode(std::span<const uint8_t> bytes,
                                 const DecodeOptions& options) const {
  if (bytes.size() < 8 || png_sig_cmp(bytes.data(), 0, 8) != 0) {
    return MakeError(ErrorCode::kCorrupt, "not a PNG file (bad signature)");
  }
  auto s = std::make_unique<Session>();
  s->bytes = bytes;
  s->limits = &options.limits;
  s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s.get(), OnError,
                                  OnWarning);
  if (s->png == nullptr) {
    return MakeError(ErrorCode::kInternal, "cannot create a PNG reader");
  }
  s->info = png_create_info_struct(s->png);
  if (s->info == nullptr) {
    png_destroy_read_struct(&s->png, nullptr, nullptr);
    return MakeError(ErrorCode::kInternal, "cannot create a PNG reader");
  }
  const bool ok = Run(s.get(), options);
  png_destroy_read_struct(&s->png, &s->info, nullptr);
  if (!ok) return MakeError(s->code, s->message);
  return std::move(s->image);
}

}  // namespace bulwark::media

#include "bulwark/media/tiff_decoder.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

// Per-call state reachable from libtiff's callbacks (client data for I/O,
// user data for the message handlers).
struct Session {
  std::span<const uint8_t> bytes;
  uint64_t pos = 0;
  std::string error;    // first error libtiff reported
  std::string warning;  // first warning while reading pixels
  bool reading_pixels = false;
};

tmsize_t OnRead(thandle_t h, void* buf, tmsize_t size) {
  auto* s = static_cast<Session*>(h);
  if (size <= 0 || s->pos >= s->bytes.size()) return 0;
  const uint64_t n =
      std::min<uint64_t>(static_cast<uint64_t>(size), s->bytes.size() - s->pos);
  std::memcpy(buf, s->bytes.data() + s->pos, n);
  s->pos += n;
  return static_cast<tmsize_t>(n);
}

tmsize_t OnWrite(thandle_t, void*, tmsize_t) { return -1; }

toff_t OnSeek(thandle_t h, toff_t offset, int whence) {
  auto* s = static_cast<Session*>(h);
  uint64_t base = 0;
  if (whence == SEEK_CUR) base = s->pos;
  if (whence == SEEK_END) base = s->bytes.size();
  if (offset > UINT64_MAX - base) return static_cast<toff_t>(-1);
  s->pos = base + offset;  // may point past the end; reads then return 0
  return s->pos;
}

int OnClose(thandle_t) { return 0; }
toff_t OnSize(thandle_t h) { return static_cast<Session*>(h)->bytes.size(); }

// Exposing the buffer as a "mapped file" lets libtiff read strips in place.
int OnMap(thandle_t h, void** base, toff_t* size) {
  auto* s = static_cast<Session*>(h);
  *base = const_cast<uint8_t*>(s->bytes.data());
  *size = s->bytes.size();
  return 1;
}
void OnUnmap(thandle_t, void*, toff_t) {}

std::string Format(const char* module, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  return module != nullptr && *module != '\0' ? std::string(module) + ": " + buf
                                              : std::string(buf);
}

// Returning 1 stops libtiff from also calling its process-wide handlers,
// which would print to stderr.
int OnError(TIFF*, void* user, const char* module, const char* fmt,
            va_list ap) {
  auto* s = static_cast<Session*>(user);
  if (s->error.empty()) s->error = Format(module, fmt, ap);
  return 1;
}

// Warnings while parsing the directory are about unusual tags and are
// harmless; while reading pixels they mean damaged data, which must not turn
// into a quietly wrong image.
int OnWarning(TIFF*, void* user, const char* module, const char* fmt,
              va_list ap) {
  auto* s = static_cast<Session*>(user);
  if (s->reading_pixels && s->warning.empty()) {
    s->warning = Format(module, fmt, ap);
  }
  return 1;
}

struct TiffCloser {
  TIFF* tif = nullptr;
  ~TiffCloser() {
    if (tif != nullptr) TIFFClose(tif);
  }
};

struct OptionsFree {
  TIFFOpenOptions* opts = nullptr;
  ~OptionsFree() {
    if (opts != nullptr) TIFFOpenOptionsFree(opts);
  }
};

Error LibraryError(const Session& s, const char* fallback) {
  const std::string& text = !s.error.empty() ? s.error : s.warning;
  if (text.find("Read error") != std::string::npos ||
      text.find("Cannot read") != std::string::npos) {
    return MakeError(ErrorCode::kCorrupt,
                     "TIFF data ends early or is corrupt: " + text);
  }
  if (text.find("allocation") != std::string::npos ||
      text.find("Maximum") != std::string::npos) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "TIFF needs more memory than allowed: " + text);
  }
  return MakeError(ErrorCode::kCorrupt, std::string("TIFF data is corrupt: ") +
                                            (text.empty() ? fallback : text));
}

// Rounds a 16-bit sample to 8 bits: round(v * 255 / 65535).
uint8_t Scale16(uint16_t v) {
  return static_cast<uint8_t>((uint32_t{v} * 255 + 32767) / 65535);
}

// The direct path: stripped, contiguous, 8/16-bit grey or RGB. Keeps grey as
// grey and drops alpha without the premultiplication TIFFRGBAImage applies.
Result<Image> ReadScanlines(TIFF* tif, Session* s, int width, int height,
                            uint16_t photometric, uint16_t spp, uint16_t bps) {
  const bool grey = photometric != PHOTOMETRIC_RGB;
  const int colours = grey ? 1 : 3;
  const uint64_t line_bytes = uint64_t(width) * spp * (bps / 8);
  if (static_cast<uint64_t>(TIFFScanlineSize64(tif)) != line_bytes) {
    return MakeError(ErrorCode::kCorrupt, "TIFF scanline size is inconsistent");
  }
  Image image = AllocateImage(width, height,
                              grey ? PixelFormat::kGray8 : PixelFormat::kRgb8);
  std::vector<uint8_t> line(line_bytes);
  s->reading_pixels = true;
  for (int y = 0; y < height; ++y) {
    if (TIFFReadScanline(tif, line.data(), static_cast<uint32_t>(y), 0) < 0 ||
        !s->error.empty() || !s->warning.empty()) {
      return LibraryError(*s, "cannot read scanline");
    }
    uint8_t* out = image.row(y);
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < colours; ++c) {
        const size_t i = size_t(x) * spp + c;
        uint8_t v;
        if (bps == 8) {
          v = line[i];
        } else {
          uint16_t v16;
          std::memcpy(&v16, &line[i * 2], 2);  // libtiff swabs to native order
          v = Scale16(v16);
        }
        if (photometric == PHOTOMETRIC_MINISWHITE) v = 255 - v;
        out[size_t(x) * colours + c] = v;
      }
    }
  }
  return image;
}

// Everything else libtiff can render, through its RGBA interface.
Result<Image> ReadRgba(TIFF* tif, Session* s, int width, int height,
                       uint16_t photometric) {
  char emsg[1024] = "";
  TIFFRGBAImage img;
  if (TIFFRGBAImageOK(tif, emsg) == 0 ||
      TIFFRGBAImageBegin(&img, tif, 0, emsg) == 0) {
    if (s->error.empty()) s->error = emsg;
    return MakeError(ErrorCode::kUnsupported,
                     "TIFF layout is not supported: " + s->error);
  }
  // Ask for the stored orientation so libtiff does not flip anything.
  img.req_orientation = img.orientation;
  std::vector<uint32_t> raster(size_t(width) * height);
  s->reading_pixels = true;
  const int ok =
      TIFFRGBAImageGet(&img, raster.data(), static_cast<uint32_t>(width),
                       static_cast<uint32_t>(height));
  TIFFRGBAImageEnd(&img);
  if (ok == 0 || !s->error.empty() || !s->warning.empty()) {
    return LibraryError(*s, "cannot read pixels");
  }
  const bool grey = photometric == PHOTOMETRIC_MINISBLACK ||
                    photometric == PHOTOMETRIC_MINISWHITE;
  Image image = AllocateImage(width, height,
                              grey ? PixelFormat::kGray8 : PixelFormat::kRgb8);
  for (size_t i = 0; i < raster.size(); ++i) {
    const uint32_t p = raster[i];
    if (grey) {
      image.pixels[i] = static_cast<uint8_t>(TIFFGetR(p));
    } else {
      image.pixels[i * 3] = static_cast<uint8_t>(TIFFGetR(p));
      image.pixels[i * 3 + 1] = static_cast<uint8_t>(TIFFGetG(p));
      image.pixels[i * 3 + 2] = static_cast<uint8_t>(TIFFGetB(p));
    }
  }
  return image;
}

}  // namespace

Result<Image> TiffDecoder::Decode(std::span<const uint8_t> bytes,
                                  const DecodeOptions& options) const {
  Session s;
  s.bytes = bytes;
  OptionsFree opts{TIFFOpenOptionsAlloc()};
  if (opts.opts == nullptr) {
    return MakeError(ErrorCode::kInternal, "cannot create a TIFF reader");
  }
  TIFFOpenOptionsSetErrorHandlerExtR(opts.opts, OnError, &s);
  TIFFOpenOptionsSetWarningHandlerExtR(opts.opts, OnWarning, &s);
  // No single buffer libtiff allocates (a strip, a tile, a tag array) may
  // exceed what the largest allowed image needs: 8 bytes a pixel covers
  // 16-bit RGBA.
  const uint64_t max_alloc = std::min<uint64_t>(
      options.limits.max_pixels * 8 + (1u << 20), uint64_t{1} << 31);
  TIFFOpenOptionsSetMaxSingleMemAlloc(opts.opts,
                                      static_cast<tmsize_t>(max_alloc));

  TiffCloser closer;
  closer.tif = TIFFClientOpenExt("memory", "rm", &s, OnRead, OnWrite, OnSeek,
                                 OnClose, OnSize, OnMap, OnUnmap, opts.opts);
  TIFF* tif = closer.tif;
  if (tif == nullptr) return LibraryError(s, "cannot read the header");

  uint32_t width = 0, height = 0;
  uint16_t spp = 1, bps = 1, photometric = 0, planar = PLANARCONFIG_CONTIG;
  uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height);
  if (Status size = CheckImageSize(width, height, options.limits); !size.ok()) {
    return size.error();
  }
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orientation);
  if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric) == 0) {
    return MakeError(ErrorCode::kCorrupt, "TIFF has no Photometric tag");
  }

  const bool direct =
      !TIFFIsTiled(tif) && planar == PLANARCONFIG_CONTIG &&
      (bps == 8 || bps == 16) &&
      (((photometric == PHOTOMETRIC_MINISBLACK ||
         photometric == PHOTOMETRIC_MINISWHITE) &&
        spp >= 1 && spp <= 2) ||
       (photometric == PHOTOMETRIC_RGB && spp >= 3 && spp <= 4));
  Result<Image> image =
      direct ? ReadScanlines(tif, &s, static_cast<int>(width),
                             static_cast<int>(height), photometric, spp, bps)
             : ReadRgba(tif, &s, static_cast<int>(width),
                        static_cast<int>(height), photometric);
  if (image.ok() && orientation >= 1 && orientation <= 8) {
    image->orientation = static_cast<Orientation>(orientation);
  }
  return image;
}

}  // namespace bulwark::media

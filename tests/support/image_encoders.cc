#include "support/image_encoders.h"

#include <gif_lib.h>
#include <png.h>
#include <tiffio.h>
#include <webp/encode.h>

#include <algorithm>
#include <cassert>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>

namespace bulwark::testing {
namespace {

void Put16(Bytes* b, uint32_t v, bool big_endian = false) {
  if (big_endian) {
    b->push_back(static_cast<uint8_t>(v >> 8));
    b->push_back(static_cast<uint8_t>(v));
  } else {
    b->push_back(static_cast<uint8_t>(v));
    b->push_back(static_cast<uint8_t>(v >> 8));
  }
}
void Put32(Bytes* b, uint32_t v, bool big_endian = false) {
  if (big_endian) {
    Put16(b, v >> 16, true);
    Put16(b, v & 0xFFFF, true);
  } else {
    Put16(b, v & 0xFFFF);
    Put16(b, v >> 16);
  }
}
void Put24(Bytes* b, uint32_t v) {
  b->push_back(static_cast<uint8_t>(v));
  b->push_back(static_cast<uint8_t>(v >> 8));
  b->push_back(static_cast<uint8_t>(v >> 16));
}
void Append(Bytes* b, const Bytes& more) {
  b->insert(b->end(), more.begin(), more.end());
}
void AppendRiffChunk(Bytes* b, const char* fourcc, const Bytes& payload) {
  b->insert(b->end(), fourcc, fourcc + 4);
  Put32(b, static_cast<uint32_t>(payload.size()));
  Append(b, payload);
  if (payload.size() % 2 != 0) b->push_back(0);
}
Bytes Riff(const Bytes& body) {
  Bytes out = {'R', 'I', 'F', 'F'};
  Put32(&out, static_cast<uint32_t>(body.size() + 4));
  out.insert(out.end(), {'W', 'E', 'B', 'P'});
  Append(&out, body);
  return out;
}

}  // namespace

Image Gradient(int width, int height, PixelFormat format) {
  Image img;
  img.width = width;
  img.height = height;
  img.format = format;
  const int c = media::ChannelCount(format);
  img.pixels.resize(static_cast<size_t>(width) * height * c);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = img.row(y) + static_cast<size_t>(x) * c;
      p[0] = static_cast<uint8_t>((x * 255) / std::max(1, width - 1));
      if (c == 3) {
        p[1] = static_cast<uint8_t>((y * 255) / std::max(1, height - 1));
        p[2] = static_cast<uint8_t>(
            ((x + y) * 127) / std::max(1, width + height - 2) + 64);
      }
    }
  }
  return img;
}

Image Noise(int width, int height, PixelFormat format, uint32_t seed) {
  Image img;
  img.width = width;
  img.height = height;
  img.format = format;
  img.pixels.resize(static_cast<size_t>(width) * height *
                    media::ChannelCount(format));
  uint32_t state = seed * 2654435761u + 1;
  for (uint8_t& v : img.pixels) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    v = static_cast<uint8_t>(state >> 24);
  }
  return img;
}

Bytes ExifBlock(uint16_t orientation, bool big_endian) {
  Bytes b;
  if (big_endian) {
    b = {'M', 'M'};
  } else {
    b = {'I', 'I'};
  }
  Put16(&b, 42, big_endian);
  Put32(&b, 8, big_endian);  // IFD0 right after the header
  Put16(&b, 2, big_endian);  // two entries: a harmless one, then orientation
  Put16(&b, 0x010F, big_endian);  // Make, ASCII, 4 bytes inline
  Put16(&b, 2, big_endian);
  Put32(&b, 4, big_endian);
  b.insert(b.end(), {'T', 'S', 'T', 0});
  Put16(&b, 0x0112, big_endian);
  Put16(&b, 3, big_endian);
  Put32(&b, 1, big_endian);
  Put16(&b, orientation, big_endian);
  Put16(&b, 0, big_endian);
  Put32(&b, 0, big_endian);  // no next IFD
  return b;
}

// ---------------------------------------------------------------- JPEG

namespace {
void SilentOutput(j_common_ptr) {}

Bytes CompressJpeg(int width, int height, int components, J_COLOR_SPACE space,
                   const uint8_t* pixels, const JpegOptions& options) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  err.output_message = SilentOutput;
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  jpeg_mem_dest(&cinfo, &out, &out_size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, options.quality, TRUE);
  if (options.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  if (!options.app1.empty()) {
    jpeg_write_marker(&cinfo, JPEG_APP0 + 1, options.app1.data(),
                      static_cast<unsigned>(options.app1.size()));
  }
  const size_t stride = static_cast<size_t>(width) * components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels + cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  Bytes result(out, out + out_size);
  jpeg_destroy_compress(&cinfo);
  free(out);
  return result;
}
}  // namespace

Bytes EncodeJpeg(const Image& image, const JpegOptions& options) {
  const bool grey = image.format == PixelFormat::kGray8;
  return CompressJpeg(image.width, image.height, grey ? 1 : 3,
                      grey ? JCS_GRAYSCALE : JCS_RGB, image.pixels.data(),
                      options);
}

Bytes EncodeCmykJpeg(int width, int height, const Bytes& cmyk) {
  assert(cmyk.size() == static_cast<size_t>(width) * height * 4);
  JpegOptions options;
  options.quality = 95;
  return CompressJpeg(width, height, 4, JCS_CMYK, cmyk.data(), options);
}

// ---------------------------------------------------------------- PNG

namespace {
void PngWrite(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}
void PngFlush(png_structp) {}
int PngChannels(int color_type) {
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
      return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      return 2;
    case PNG_COLOR_TYPE_RGB:
      return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      return 4;
    default:
      return 1;  // palette
  }
}
}  // namespace

Bytes EncodePng(int width, int height, const std::vector<uint16_t>& samples,
                const PngOptions& options) {
  const int channels = PngChannels(options.color_type);
  assert(samples.size() == static_cast<size_t>(width) * height * channels);
  Bytes out;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  // No setjmp: inputs are well-formed, and libpng aborts if not.
  png_set_write_fn(png, &out, PngWrite, PngFlush);
  png_set_IHDR(png, info, width, height, options.bit_depth, options.color_type,
               options.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_color> palette;
  if (options.color_type == PNG_COLOR_TYPE_PALETTE) {
    for (size_t i = 0; i + 2 < options.palette.size(); i += 3) {
      palette.push_back(
          {options.palette[i], options.palette[i + 1], options.palette[i + 2]});
    }
    png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
    if (!options.trns.empty()) {
      png_set_tRNS(png, info, options.trns.data(),
                   static_cast<int>(options.trns.size()), nullptr);
    }
  }
  if (!options.exif.empty()) {
    png_set_eXIf_1(png, info, static_cast<png_uint_32>(options.exif.size()),
                   const_cast<png_bytep>(options.exif.data()));
  }
  // Pack samples into PNG rows (big-endian, MSB-first for sub-byte depths).
  const int bits = options.bit_depth;
  const size_t row_bytes =
      (static_cast<size_t>(width) * channels * bits + 7) / 8;
  std::vector<Bytes> rows(height, Bytes(row_bytes, 0));
  for (int y = 0; y < height; ++y) {
    for (int i = 0; i < width * channels; ++i) {
      const uint16_t v = samples[static_cast<size_t>(y) * width * channels + i];
      if (bits == 16) {
        rows[y][i * 2] = static_cast<uint8_t>(v >> 8);
        rows[y][i * 2 + 1] = static_cast<uint8_t>(v);
      } else if (bits == 8) {
        rows[y][i] = static_cast<uint8_t>(v);
      } else {
        const int bit = i * bits;
        rows[y][bit / 8] |= static_cast<uint8_t>(v << (8 - bits - bit % 8));
      }
    }
  }
  std::vector<png_bytep> row_ptrs;
  for (Bytes& r : rows) row_ptrs.push_back(r.data());
  png_set_rows(png, info, row_ptrs.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

Bytes EncodePng(const Image& image, bool interlace) {
  PngOptions options;
  options.color_type = image.format == PixelFormat::kGray8 ? PNG_COLOR_TYPE_GRAY
                                                           : PNG_COLOR_TYPE_RGB;
  options.interlace = interlace;
  return EncodePng(
      image.width, image.height,
      std::vector<uint16_t>(image.pixels.begin(), image.pixels.end()), options);
}

// ---------------------------------------------------------------- WebP

Bytes EncodeWebpLossless(const Image& rgb) {
  assert(rgb.format == PixelFormat::kRgb8);
  uint8_t* out = nullptr;
  const size_t size = WebPEncodeLosslessRGB(rgb.pixels.data(), rgb.width,
                                            rgb.height, rgb.width * 3, &out);
  Bytes result(out, out + size);
  WebPFree(out);
  return result;
}

Bytes EncodeWebpLossy(const Image& rgb, int quality) {
  assert(rgb.format == PixelFormat::kRgb8);
  uint8_t* out = nullptr;
  const size_t size =
      WebPEncodeRGB(rgb.pixels.data(), rgb.width, rgb.height, rgb.width * 3,
                    static_cast<float>(quality), &out);
  Bytes result(out, out + size);
  WebPFree(out);
  return result;
}

Bytes EncodeWebpLosslessRgba(int width, int height, const Bytes& rgba) {
  WebPConfig config;
  WebPConfigInit(&config);
  config.lossless = 1;
  config.exact = 1;
  WebPPicture pic;
  WebPPictureInit(&pic);
  pic.use_argb = 1;
  pic.width = width;
  pic.height = height;
  WebPPictureImportRGBA(&pic, rgba.data(), width * 4);
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  pic.writer = WebPMemoryWrite;
  pic.custom_ptr = &writer;
  WebPEncode(&config, &pic);
  Bytes result(writer.mem, writer.mem + writer.size);
  WebPMemoryWriterClear(&writer);
  WebPPictureFree(&pic);
  return result;
}

Bytes WebpBitstreamChunk(const Bytes& simple_webp) {
  // RIFF header (12 bytes), then exactly one chunk in a simple file.
  return Bytes(simple_webp.begin() + 12, simple_webp.end());
}

Bytes WebpWithExif(const Bytes& simple_webp, int width, int height,
                   const Bytes& exif) {
  Bytes vp8x;
  vp8x.push_back(0x08);  // EXIF present
  vp8x.insert(vp8x.end(), {0, 0, 0});
  Put24(&vp8x, width - 1);
  Put24(&vp8x, height - 1);
  Bytes body;
  AppendRiffChunk(&body, "VP8X", vp8x);
  Append(&body, WebpBitstreamChunk(simple_webp));
  AppendRiffChunk(&body, "EXIF", exif);
  return Riff(body);
}

Bytes AnimatedWebp(int canvas_width, int canvas_height,
                   const std::vector<WebpFrame>& frames) {
  Bytes vp8x;
  vp8x.push_back(0x02);  // animation
  vp8x.insert(vp8x.end(), {0, 0, 0});
  Put24(&vp8x, canvas_width - 1);
  Put24(&vp8x, canvas_height - 1);
  Bytes anim;
  Put32(&anim, 0xFF000000);  // background
  Put16(&anim, 0);           // loop forever
  Bytes body;
  AppendRiffChunk(&body, "VP8X", vp8x);
  AppendRiffChunk(&body, "ANIM", anim);
  for (const WebpFrame& f : frames) {
    Bytes anmf;
    Put24(&anmf, f.x / 2);
    Put24(&anmf, f.y / 2);
    Put24(&anmf, f.width - 1);
    Put24(&anmf, f.height - 1);
    Put24(&anmf, 100);     // duration, ms
    anmf.push_back(0x02);  // no blending, no disposal
    Append(&anmf, WebpBitstreamChunk(f.simple_webp));
    AppendRiffChunk(&body, "ANMF", anmf);
  }
  return Riff(body);
}

// ---------------------------------------------------------------- GIF

namespace {
int GifWrite(GifFileType* gif, const GifByteType* data, int length) {
  auto* out = static_cast<Bytes*>(gif->UserData);
  out->insert(out->end(), data, data + length);
  return length;
}
ColorMapObject* MakeMap(const Bytes& rgb) {
  int count = 2;
  while (count * 3 < static_cast<int>(rgb.size())) count *= 2;
  ColorMapObject* map = GifMakeMapObject(count, nullptr);
  for (int i = 0; i < count; ++i) {
    if (static_cast<size_t>(i * 3 + 2) < rgb.size()) {
      map->Colors[i] = {rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]};
    }
  }
  return map;
}
}  // namespace

Bytes EncodeGif(int screen_width, int screen_height, const Bytes& palette,
                int background_index, const std::vector<GifFrame>& frames) {
  Bytes out;
  int error = 0;
  GifFileType* gif = EGifOpen(&out, GifWrite, &error);
  assert(gif != nullptr);
  EGifSetGifVersion(gif, true);
  ColorMapObject* global = MakeMap(palette);
  EGifPutScreenDesc(gif, screen_width, screen_height, 8, background_index,
                    global);
  GifFreeMapObject(global);
  for (const GifFrame& f : frames) {
    if (f.transparent_index >= 0) {
      const GifByteType gce[4] = {
          0x01, 0, 0, static_cast<GifByteType>(f.transparent_index)};
      EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, gce);
    }
    ColorMapObject* local =
        f.local_palette.empty() ? nullptr : MakeMap(f.local_palette);
    EGifPutImageDesc(gif, f.left, f.top, f.width, f.height, f.interlace, local);
    if (local != nullptr) GifFreeMapObject(local);
    std::vector<int> order;
    if (f.interlace) {
      for (int y = 0; y < f.height; y += 8) order.push_back(y);
      for (int y = 4; y < f.height; y += 8) order.push_back(y);
      for (int y = 2; y < f.height; y += 4) order.push_back(y);
      for (int y = 1; y < f.height; y += 2) order.push_back(y);
    } else {
      for (int y = 0; y < f.height; ++y) order.push_back(y);
    }
    for (int y : order) {
      EGifPutLine(gif,
                  const_cast<GifPixelType*>(
                      &f.indices[static_cast<size_t>(y) * f.width]),
                  f.width);
    }
  }
  EGifCloseFile(gif, &error);
  return out;
}

// ---------------------------------------------------------------- BMP

Bytes EncodeBmp(const Image& pixels, const BmpOptions& o) {
  const int w = pixels.width, h = pixels.height;
  const int palette_entries =
      o.bpp <= 8 ? static_cast<int>(o.palette.size() / 3) : 0;
  const int entry_size = o.header_size == 12 ? 3 : 4;
  const bool masks_after_header = o.bitfields && o.header_size == 40;
  const uint32_t stride = ((static_cast<uint32_t>(w) * o.bpp + 31) / 32) * 4;
  const uint32_t pixel_offset = 14 + o.header_size +
                                (masks_after_header ? 12 : 0) +
                                palette_entries * entry_size;
  Bytes b = {'B', 'M'};
  Put32(&b, pixel_offset + stride * h);
  Put32(&b, 0);
  Put32(&b, pixel_offset);
  Put32(&b, o.header_size);
  if (o.header_size == 12) {
    Put16(&b, w);
    Put16(&b, h);
    Put16(&b, 1);
    Put16(&b, o.bpp);
  } else {
    Put32(&b, w);
    Put32(&b, o.top_down ? static_cast<uint32_t>(-h) : h);
    Put16(&b, 1);
    Put16(&b, o.bpp);
    Put32(&b, o.bitfields ? 3 : 0);
    Put32(&b, stride * h);
    Put32(&b, 2835);
    Put32(&b, 2835);
    Put32(&b, palette_entries);
    Put32(&b, 0);
    if (o.header_size > 40 || masks_after_header) {
      for (uint32_t m : o.masks) Put32(&b, m);
    }
    if (o.header_size > 40) {
      Put32(&b, 0);  // alpha mask
      while (b.size() < 14u + o.header_size) b.push_back(0);
    }
  }
  for (int i = 0; i < palette_entries; ++i) {
    b.push_back(o.palette[i * 3 + 2]);
    b.push_back(o.palette[i * 3 + 1]);
    b.push_back(o.palette[i * 3]);
    if (entry_size == 4) b.push_back(0);
  }
  assert(b.size() == pixel_offset);
  for (int r = 0; r < h; ++r) {
    const int y = o.top_down ? r : h - 1 - r;
    Bytes row(stride, 0);
    for (int x = 0; x < w; ++x) {
      if (o.bpp <= 8) {
        const int bit = x * o.bpp;
        row[bit / 8] |=
            static_cast<uint8_t>(pixels.row(y)[x] << (8 - o.bpp - bit % 8));
        continue;
      }
      const uint8_t* p = pixels.row(y) + x * 3;
      if (o.bpp == 24) {
        row[x * 3] = p[2];
        row[x * 3 + 1] = p[1];
        row[x * 3 + 2] = p[0];
        continue;
      }
      uint32_t v = 0;
      if (o.bitfields) {
        for (int c = 0; c < 3; ++c) {
          const uint32_t m = o.masks[c];
          const int shift = __builtin_ctz(m);
          const uint32_t max = m >> shift;
          v |= ((p[c] * max + 127) / 255) << shift;
        }
      } else if (o.bpp == 16) {
        v = (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3);
      } else {
        v = uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2];
      }
      for (int i = 0; i < o.bpp / 8; ++i)
        row[x * (o.bpp / 8) + i] = static_cast<uint8_t>(v >> (8 * i));
    }
    Append(&b, row);
  }
  return b;
}

// ---------------------------------------------------------------- TIFF

namespace {
struct TiffSink {
  Bytes data;
  uint64_t pos = 0;
};
tmsize_t TRead(thandle_t h, void* buf, tmsize_t n) {
  auto* s = static_cast<TiffSink*>(h);
  const uint64_t avail = s->pos < s->data.size() ? s->data.size() - s->pos : 0;
  const uint64_t k = std::min<uint64_t>(avail, n);
  std::memcpy(buf, s->data.data() + s->pos, k);
  s->pos += k;
  return static_cast<tmsize_t>(k);
}
tmsize_t TWrite(thandle_t h, void* buf, tmsize_t n) {
  auto* s = static_cast<TiffSink*>(h);
  if (s->data.size() < s->pos + n) s->data.resize(s->pos + n);
  std::memcpy(s->data.data() + s->pos, buf, n);
  s->pos += n;
  return n;
}
toff_t TSeek(thandle_t h, toff_t off, int whence) {
  auto* s = static_cast<TiffSink*>(h);
  if (whence == SEEK_SET) s->pos = off;
  if (whence == SEEK_CUR) s->pos += off;
  if (whence == SEEK_END) s->pos = s->data.size() + off;
  return s->pos;
}
int TClose(thandle_t) { return 0; }
toff_t TSize(thandle_t h) { return static_cast<TiffSink*>(h)->data.size(); }
int TMap(thandle_t, void**, toff_t*) { return 0; }
void TUnmap(thandle_t, void*, toff_t) {}
int TQuiet(TIFF*, void*, const char*, const char*, va_list) { return 1; }

TIFF* OpenTiffSink(TiffSink* sink, TIFFOpenOptions* opts) {
  TIFFOpenOptionsSetErrorHandlerExtR(opts, TQuiet, nullptr);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, TQuiet, nullptr);
  return TIFFClientOpenExt("test", "w", sink, TRead, TWrite, TSeek, TClose,
                           TSize, TMap, TUnmap, opts);
}
}  // namespace

Bytes EncodeTiff(const Image& image, const TiffOptions& o) {
  TiffSink sink;
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFF* tif = OpenTiffSink(&sink, opts);
  assert(tif != nullptr);
  const int colours = media::ChannelCount(image.format);
  const int spp = colours + (o.alpha ? 1 : 0);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, image.width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, image.height);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, o.bits);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
               colours == 3 ? PHOTOMETRIC_RGB
                            : (o.min_is_white ? PHOTOMETRIC_MINISWHITE
                                              : PHOTOMETRIC_MINISBLACK));
  TIFFSetField(tif, TIFFTAG_COMPRESSION, o.compression);
  TIFFSetField(tif, TIFFTAG_ORIENTATION, o.orientation);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, o.rows_per_strip);
  if (o.alpha) {
    const uint16_t extra = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
  }
  const size_t line_samples = static_cast<size_t>(image.width) * spp;
  for (int y = 0; y < image.height; ++y) {
    std::vector<uint16_t> line16(line_samples);
    Bytes line8(line_samples);
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < spp; ++c) {
        uint8_t v = c < colours ? image.row(y)[x * colours + c] : 77;
        if (o.min_is_white && c < colours) v = 255 - v;
        line8[x * spp + c] = v;
        line16[x * spp + c] = static_cast<uint16_t>(v * 257);
      }
    }
    void* data =
        o.bits == 16 ? static_cast<void*>(line16.data()) : line8.data();
    TIFFWriteScanline(tif, data, y, 0);
  }
  TIFFClose(tif);
  TIFFOpenOptionsFree(opts);
  return sink.data;
}

Bytes EncodePaletteTiff(int width, int height, const Bytes& indices,
                        const Bytes& palette) {
  TiffSink sink;
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFF* tif = OpenTiffSink(&sink, opts);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, height);
  std::vector<uint16_t> r(256), g(256), b(256);
  for (size_t i = 0; i * 3 + 2 < palette.size() && i < 256; ++i) {
    r[i] = palette[i * 3] * 257;
    g[i] = palette[i * 3 + 1] * 257;
    b[i] = palette[i * 3 + 2] * 257;
  }
  TIFFSetField(tif, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
  for (int y = 0; y < height; ++y) {
    TIFFWriteScanline(
        tif, const_cast<uint8_t*>(&indices[static_cast<size_t>(y) * width]), y,
        0);
  }
  TIFFClose(tif);
  TIFFOpenOptionsFree(opts);
  return sink.data;
}

}  // namespace bulwark::testing

#include "bulwark/media/jpeg_decoder.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include "bulwark/media/exif.h"
#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

// Everything one decode touches. libjpeg reports errors by longjmp, which
// skips destructors, so no C++ object with a destructor may live in a frame
// that the jump crosses: the ones we need live here, owned by the caller.
struct Session {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  uint32_t max_scans = 0;
  ErrorCode code = ErrorCode::kCorrupt;
  std::string message;
  Image image;
  std::vector<uint8_t> cmyk_row;
  // DecodeJpegRows: where rows go instead of `image`, and the strip.
  JpegRowSink* sink = nullptr;
  bool sink_stopped = false;
  std::vector<uint8_t> strip;
  std::vector<JSAMPROW> strip_rows;
};

Session* SessionOf(j_common_ptr cinfo) {
  return static_cast<Session*>(cinfo->client_data);
}

// Failing is two statements, SetError(...) then Jump(...), so that every
// temporary string of the first is destroyed before longjmp skips the rest.
void SetError(j_common_ptr cinfo, ErrorCode code, std::string message) {
  Session* s = SessionOf(cinfo);
  s->code = code;
  s->message = std::move(message);
}

[[noreturn]] void Jump(j_common_ptr cinfo) {
  std::longjmp(SessionOf(cinfo)->jump, 1);
}

// Checks the header's size; on failure records the error and returns false.
bool SizeAllowed(j_common_ptr cinfo, uint64_t width, uint64_t height,
                 const DecodeLimits& limits) {
  Status size = CheckImageSize(width, height, limits);
  if (size.ok()) return true;
  SetError(cinfo, size.error().code, size.error().message);
  return false;
}

std::string LibraryMessage(j_common_ptr cinfo) {
  char buf[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, buf);
  return buf;
}

// Truncation and corruption both surface as warnings in libjpeg, which then
// pads the image with grey; a padded image would hash as a different
// picture, so every warning ends the decode.
void ReportFailure(j_common_ptr cinfo) {
  const int code = cinfo->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JERR_INPUT_EOF) {
    SetError(cinfo, ErrorCode::kCorrupt,
             "JPEG data ends early (truncated file)");
  } else if (code == JERR_IMAGE_TOO_BIG) {
    SetError(cinfo, ErrorCode::kLimitExceeded,
             "JPEG image is over libjpeg's limit of 65500 pixels on a side");
  } else {
    const ErrorCode error_code =
        code == JERR_OUT_OF_MEMORY || code == JERR_VIRTUAL_BUG
            ? ErrorCode::kLimitExceeded
            : ErrorCode::kCorrupt;
    SetError(cinfo, error_code,
             "JPEG data is corrupt: " + LibraryMessage(cinfo));
  }
  Jump(cinfo);
}

void OnError(j_common_ptr cinfo) { ReportFailure(cinfo); }

void OnMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level < 0) ReportFailure(cinfo);  // warning; >= 0 is trace output
}

void OnOutputMessage(j_common_ptr) {}  // never print

void OnProgress(j_common_ptr cinfo) {
  auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
  Session* s = SessionOf(cinfo);
  if (dinfo->input_scan_number > 0 &&
      static_cast<uint32_t>(dinfo->input_scan_number) > s->max_scans) {
    SetError(cinfo, ErrorCode::kLimitExceeded,
             "JPEG has more than " + std::to_string(s->max_scans) +
                 " progressive scans (decoding cost limit)");
    Jump(cinfo);
  }
}

// The smallest of 1/8, 1/4, 1/2 whose output's shorter side is still at
// least `hint`, as a numerator over 8; 8 (full size) when none qualifies.
// Only these three: libjpeg-turbo computes them with reduced IDCTs that are
// much cheaper than a full decode, whereas other k/8 scales are slower than
// decoding at full size.
unsigned PickScale(j_decompress_ptr cinfo, int hint) {
  if (hint <= 0) return 8;
  const uint64_t shorter = std::min(cinfo->image_width, cinfo->image_height);
  for (unsigned num : {1u, 2u, 4u}) {
    if ((shorter * num + 7) / 8 >= static_cast<uint64_t>(hint)) return num;
  }
  return 8;
}

Orientation FindOrientation(j_decompress_ptr cinfo) {
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != nullptr;
       m = m->next) {
    if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
        std::memcmp(m->data, "Exif\0\0", 6) == 0) {
      return ParseExifOrientation({m->data, m->data_length});
    }
  }
  return Orientation::kTopLeft;
}

// Reads the next `count` rows into rows[0..count), `stride` bytes apart,
// converting CMYK to RGB. Runs under Run()'s setjmp (see DecodeSteps).
void ReadRows(Session* s, uint8_t* rows, int count, size_t stride, int width) {
  j_decompress_ptr cinfo = &s->cinfo;
  j_common_ptr common = reinterpret_cast<j_common_ptr>(cinfo);
  const bool cmyk = cinfo->out_color_space == JCS_CMYK;
  if (static_cast<int>(s->strip_rows.size()) < count) {
    s->strip_rows.resize(static_cast<size_t>(count));
  }
  int done = 0;
  while (done < count) {
    JSAMPROW* ptrs = s->strip_rows.data();
    const int want = cmyk ? 1 : count - done;
    for (int i = 0; i < want; ++i) {
      ptrs[i] = cmyk ? s->cmyk_row.data() : rows + (done + i) * stride;
    }
    const int got = static_cast<int>(
        jpeg_read_scanlines(cinfo, ptrs, static_cast<JDIMENSION>(want)));
    if (got == 0) {
      SetError(common, ErrorCode::kCorrupt,
               "JPEG data ends early (truncated file)");
      Jump(common);
    }
    if (cmyk) {
      uint8_t* out = rows + done * stride;
      for (int x = 0; x < width; ++x) {
        CmykToRgb(&s->cmyk_row[static_cast<size_t>(x) * 4], out + x * 3);
      }
    }
    done += got;
  }
}

// DecodeJpegRows' loop: strips of the sink's height into one buffer.
void ReadStrips(Session* s, int width, int height, PixelFormat format) {
  j_decompress_ptr cinfo = &s->cinfo;
  JpegRowsInfo info;
  info.width = width;
  info.height = height;
  info.format = format;
  info.source_width = static_cast<int>(cinfo->image_width);
  info.source_height = static_cast<int>(cinfo->image_height);
  info.orientation = FindOrientation(cinfo);
  const int strip = s->sink->Begin(info);
  if (strip <= 0) {
    s->sink_stopped = true;
    return;
  }
  const size_t stride = static_cast<size_t>(width) * ChannelCount(format);
  // libjpeg-turbo's SIMD colour conversion writes rows that start on a
  // 32-byte boundary with non-temporal stores, which bypass the cache: the
  // sink would then read every strip back from memory. Rows that start one
  // byte past a boundary are written through the cache instead.
  s->strip.resize(stride * static_cast<size_t>(std::min(strip, height)) + 64);
  uint8_t* base = s->strip.data();
  base += (33 - reinterpret_cast<uintptr_t>(base) % 32) % 32;
  for (int y = 0; y < height; y += strip) {
    const int count = std::min(strip, height - y);
    ReadRows(s, base, count, stride, width);
    s->sink->Rows(base, stride, count);
  }
}

// The decode proper. Runs only under the setjmp in Run(); must not create
// objects with destructors (see Session).
void DecodeSteps(Session* s, std::span<const uint8_t> bytes,
                 const DecodeOptions& options) {
  j_decompress_ptr cinfo = &s->cinfo;
  jpeg_create_decompress(cinfo);
  s->progress.progress_monitor = OnProgress;
  cinfo->progress = &s->progress;
  jpeg_mem_src(cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(cinfo, TRUE);

  j_common_ptr common = reinterpret_cast<j_common_ptr>(cinfo);
  if (!SizeAllowed(common, cinfo->image_width, cinfo->image_height,
                   options.limits)) {
    Jump(common);
  }

  bool cmyk = false;
  switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo->out_color_space = JCS_GRAYSCALE;
      break;
    case JCS_YCbCr:
    case JCS_RGB:
      cinfo->out_color_space = JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo->out_color_space = JCS_CMYK;
      cmyk = true;
      break;
    default:
      SetError(common, ErrorCode::kUnsupported,
               "JPEG has an unsupported colour space (" +
                   std::to_string(cinfo->num_components) + " components)");
      Jump(common);
  }
  cinfo->scale_num = PickScale(cinfo, options.min_side_hint);
  cinfo->scale_denom = 8;

  jpeg_start_decompress(cinfo);
  const int width = static_cast<int>(cinfo->output_width);
  const int height = static_cast<int>(cinfo->output_height);
  const PixelFormat format = cinfo->out_color_space == JCS_GRAYSCALE
                                 ? PixelFormat::kGray8
                                 : PixelFormat::kRgb8;
  if (cmyk) s->cmyk_row.resize(static_cast<size_t>(width) * 4);
  if (s->sink != nullptr) {
    ReadStrips(s, width, height, format);
  } else {
    s->image = AllocateImage(width, height, format);
    s->image.source_width = static_cast<int>(cinfo->image_width);
    s->image.source_height = static_cast<int>(cinfo->image_height);
    s->image.orientation = FindOrientation(cinfo);
    while (cinfo->output_scanline < cinfo->output_height) {
      ReadRows(s, s->image.row(static_cast<int>(cinfo->output_scanline)), 1,
               s->image.row_bytes(), width);
    }
  }
  if (!s->sink_stopped) jpeg_finish_decompress(cinfo);
}

// Kept apart from DecodeSteps so the setjmp frame has no locals for the
// longjmp to clobber.
bool Run(Session* s, std::span<const uint8_t> bytes,
         const DecodeOptions& options) {
  if (setjmp(s->jump) != 0) return false;
  DecodeSteps(s, bytes, options);
  return true;
}

}  // namespace

void CmykToRgb(const uint8_t cmyk[4], uint8_t rgb[3]) {
  const unsigned k = cmyk[3];
  for (int i = 0; i < 3; ++i) {
    rgb[i] = static_cast<uint8_t>((cmyk[i] * k + 127) / 255);
  }
}

namespace {

std::unique_ptr<Session> NewSession(const DecodeOptions& options) {
  auto s = std::make_unique<Session>();
  s->max_scans = options.limits.max_jpeg_scans;
  s->cinfo.err = jpeg_std_error(&s->err);
  s->err.error_exit = OnError;
  s->err.emit_message = OnMessage;
  s->err.output_message = OnOutputMessage;
  // Survives jpeg_create_decompress, which clears the rest of cinfo.
  s->cinfo.client_data = s.get();
  return s;
}

}  // namespace

Result<Image> JpegDecoder::Decode(std::span<const uint8_t> bytes,
                                  const DecodeOptions& options) const {
  if (bytes.empty()) {
    return MakeError(ErrorCode::kCorrupt, "JPEG data is empty");
  }
  std::unique_ptr<Session> s = NewSession(options);
  const bool ok = Run(s.get(), bytes, options);
  jpeg_destroy_decompress(&s->cinfo);
  if (!ok) return MakeError(s->code, s->message);
  return std::move(s->image);
}

Result<bool> DecodeJpegRows(std::span<const uint8_t> bytes,
                            const DecodeOptions& options, JpegRowSink& sink) {
  if (bytes.empty()) {
    return MakeError(ErrorCode::kCorrupt, "JPEG data is empty");
  }
  std::unique_ptr<Session> s = NewSession(options);
  s->sink = &sink;
  const bool ok = Run(s.get(), bytes, options);
  jpeg_destroy_decompress(&s->cinfo);
  if (!ok) return MakeError(s->code, s->message);
  return !s->sink_stopped;
}

}  // namespace bulwark::media

#include "bulwark/media/jpeg_encoder.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>

namespace bulwark::media {
namespace {

// libjpeg's default error handler exits the process; this one jumps back
// to Compress. Compress holds no C++ object across the jump.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
};

void OnError(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1);
}
void Silent(j_common_ptr) {}

// Returns false on a library error; on success *out holds malloc'ed bytes.
bool Compress(const Image& image, int quality, unsigned char** out,
              unsigned long* out_size) {
  jpeg_compress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.output_message = Silent;
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, out_size);
  const bool grey = image.format == PixelFormat::kGray8;
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = grey ? 1 : 3;
  cinfo.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row =
        const_cast<uint8_t*>(image.row(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality) {
  if (image.width < 1 || image.height < 1 || image.width > 65'500 ||
      image.height > 65'500 ||
      image.pixels.size() !=
          image.row_bytes() * static_cast<size_t>(image.height)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot encode an image of that size as JPEG");
  }
  if (quality < 1 || quality > 100) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "JPEG quality must be 1 to 100");
  }
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  const bool ok = Compress(image, quality, &out, &out_size);
  std::vector<uint8_t> bytes;
  if (ok) bytes.assign(out, out + out_size);
  std::free(out);
  if (!ok) return MakeError(ErrorCode::kInternal, "JPEG encoding failed");
  return bytes;
}

}  // namespace bulwark::media

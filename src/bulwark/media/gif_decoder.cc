#include "bulwark/media/gif_decoder.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

struct Source {
  std::span<const uint8_t> bytes;
  size_t pos = 0;
};

// giflib treats a short read as an error (D_GIF_ERR_READ_FAILED), which is
// how truncation surfaces.
int OnRead(GifFileType* gif, GifByteType* out, int length) {
  auto* src = static_cast<Source*>(gif->UserData);
  if (length <= 0) return 0;
  const size_t n =
      std::min(static_cast<size_t>(length), src->bytes.size() - src->pos);
  if (n == 0) return 0;  // memcpy from an empty span's null data is UB
  std::memcpy(out, src->bytes.data() + src->pos, n);
  src->pos += n;
  return static_cast<int>(n);
}

struct GifCloser {
  GifFileType* gif = nullptr;
  ~GifCloser() {
    int ignored = 0;
    if (gif != nullptr) DGifCloseFile(gif, &ignored);
  }
};

Error LibraryError(int code) {
  if (code == D_GIF_ERR_READ_FAILED) {
    return MakeError(ErrorCode::kCorrupt,
                     "GIF data ends early (truncated file)");
  }
  if (code == D_GIF_ERR_NOT_ENOUGH_MEM) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "GIF decoder ran out of memory");
  }
  const char* text = GifErrorString(code);
  return MakeError(ErrorCode::kCorrupt,
                   std::string("GIF data is corrupt: ") +
                       (text != nullptr ? text : "unknown error"));
}

// Skips one extension block by block; giflib hands out pointers into its
// own buffer, nothing to free.
bool SkipExtension(GifFileType* gif) {
  int ext_code = 0;
  GifByteType* block = nullptr;
  if (DGifGetExtension(gif, &ext_code, &block) == GIF_ERROR) return false;
  while (block != nullptr) {
    if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return false;
  }
  return true;
}

}  // namespace

Result<Image> GifDecoder::Decode(std::span<const uint8_t> bytes,
                                 const DecodeOptions& options) const {
  Source src{bytes, 0};
  int error = 0;
  GifCloser closer;
  closer.gif = DGifOpen(&src, OnRead, &error);
  GifFileType* gif = closer.gif;
  if (gif == nullptr) return LibraryError(error);

  if (Status size =
          CheckImageSize(gif->SWidth > 0 ? gif->SWidth : 0,
                         gif->SHeight > 0 ? gif->SHeight : 0, options.limits);
      !size.ok()) {
    return size.error();
  }

  // Reads records only until the first image descriptor: later frames of an
  // animation are never touched.
  for (;;) {
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif, &type) == GIF_ERROR) {
      return LibraryError(gif->Error);
    }
    if (type == IMAGE_DESC_RECORD_TYPE) break;
    if (type == EXTENSION_RECORD_TYPE) {
      if (!SkipExtension(gif)) return LibraryError(gif->Error);
      continue;
    }
    if (type == TERMINATE_RECORD_TYPE) {
      return MakeError(ErrorCode::kCorrupt, "GIF contains no image");
    }
    return MakeError(ErrorCode::kCorrupt, "GIF has an unknown record type");
  }
  if (DGifGetImageDesc(gif) == GIF_ERROR) return LibraryError(gif->Error);

  const GifImageDesc& desc = gif->Image;
  if (desc.Width <= 0 || desc.Height <= 0) {
    return MakeError(ErrorCode::kCorrupt, "GIF frame has zero width or height");
  }
  // The LZW stream can expand each byte into thousands of pixels, so the
  // frame itself (not just the screen) must be within the limits.
  if (Status size = CheckImageSize(desc.Width, desc.Height, options.limits);
      !size.ok()) {
    return size.error();
  }
  const ColorMapObject* map =
      desc.ColorMap != nullptr ? desc.ColorMap : gif->SColorMap;
  if (map == nullptr || map->Colors == nullptr || map->ColorCount <= 0) {
    return MakeError(ErrorCode::kCorrupt, "GIF frame has no colour table");
  }

  Image image = AllocateImage(gif->SWidth, gif->SHeight, PixelFormat::kRgb8);
  if (gif->SColorMap != nullptr && gif->SBackGroundColor >= 0 &&
      gif->SBackGroundColor < gif->SColorMap->ColorCount) {
    const GifColorType bg = gif->SColorMap->Colors[gif->SBackGroundColor];
    for (size_t i = 0; i < image.pixels.size(); i += 3) {
      image.pixels[i] = bg.Red;
      image.pixels[i + 1] = bg.Green;
      image.pixels[i + 2] = bg.Blue;
    }
  }

  std::vector<GifPixelType> line(static_cast<size_t>(desc.Width));
  // Interlaced frames store rows in four passes: every 8th row from 0, every
  // 8th from 4, every 4th from 2, every 2nd from 1.
  static constexpr int kPassStart[4] = {0, 4, 2, 1};
  static constexpr int kPassStep[4] = {8, 8, 4, 2};
  const int passes = desc.Interlace ? 4 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const int start = desc.Interlace ? kPassStart[pass] : 0;
    const int step = desc.Interlace ? kPassStep[pass] : 1;
    for (int row = start; row < desc.Height; row += step) {
      if (DGifGetLine(gif, line.data(), desc.Width) == GIF_ERROR) {
        return LibraryError(gif->Error);
      }
      // Frames may extend past the logical screen; only the overlap shows.
      const int64_t y = int64_t{desc.Top} + row;
      if (y < 0 || y >= image.height) continue;
      uint8_t* out = image.row(static_cast<int>(y));
      for (int col = 0; col < desc.Width; ++col) {
        const int64_t x = int64_t{desc.Left} + col;
        if (x < 0 || x >= image.width) continue;
        // Out-of-range indices show black, as browsers do.
        const GifColorType c = line[col] < map->ColorCount
                                   ? map->Colors[line[col]]
                                   : GifColorType{0, 0, 0};
        uint8_t* px = out + x * 3;
        px[0] = c.Red;
        px[1] = c.Green;
        px[2] = c.Blue;
      }
    }
  }
  // A complete file has at least one more record (another frame, an
  // extension, or the trailer) after the first image. Reading only its type
  // byte catches a file cut off right after the pixel data without touching
  // the rest of an animation.
  GifRecordType next = UNDEFINED_RECORD_TYPE;
  if (DGifGetRecordType(gif, &next) == GIF_ERROR) {
    return LibraryError(gif->Error);
  }
  return image;
}

}  // namespace bulwark::media

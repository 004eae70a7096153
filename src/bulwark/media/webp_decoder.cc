#include "bulwark/media/webp_decoder.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <memory>
#include <string>

#include "bulwark/media/exif.h"
#include "bulwark/media/limits.h"

namespace bulwark::media {
namespace {

struct DemuxDeleter {
  void operator()(WebPDemuxer* d) const { WebPDemuxDelete(d); }
};
using DemuxPtr = std::unique_ptr<WebPDemuxer, DemuxDeleter>;

struct FrameIterator {
  WebPIterator it{};
  bool valid = false;
  ~FrameIterator() {
    if (valid) WebPDemuxReleaseIterator(&it);
  }
};

struct ChunkIterator {
  WebPChunkIterator it{};
  bool valid = false;
  ~ChunkIterator() {
    if (valid) WebPDemuxReleaseChunkIterator(&it);
  }
};

Error StatusError(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return MakeError(ErrorCode::kCorrupt,
                       "WebP data ends early (truncated file)");
    case VP8_STATUS_OUT_OF_MEMORY:
      return MakeError(ErrorCode::kLimitExceeded,
                       "WebP decoder ran out of memory");
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return MakeError(ErrorCode::kUnsupported,
                       "WebP uses a feature this decoder does not support");
    default:
      return MakeError(ErrorCode::kCorrupt, "WebP bitstream is corrupt");
  }
}

}  // namespace

Result<Image> WebpDecoder::Decode(std::span<const uint8_t> bytes,
                                  const DecodeOptions& options) const {
  // The header's size is checked before the demuxer validates the whole
  // container, so a huge canvas is reported as such, not as malformed.
  WebPBitstreamFeatures header;
  if (WebPGetFeatures(bytes.data(), bytes.size(), &header) == VP8_STATUS_OK) {
    if (Status size =
            CheckImageSize(header.width, header.height, options.limits);
        !size.ok()) {
      return size.error();
    }
  }
  const WebPData data{bytes.data(), bytes.size()};
  WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
  // Partial parsing tells "cut short" apart from "malformed".
  DemuxPtr demux(WebPDemuxPartial(&data, &state));
  if (demux == nullptr || state == WEBP_DEMUX_PARSE_ERROR) {
    return MakeError(ErrorCode::kCorrupt, "WebP container is malformed");
  }
  if (state != WEBP_DEMUX_DONE) {
    return MakeError(ErrorCode::kCorrupt,
                     "WebP data ends early (truncated file)");
  }
  const uint32_t canvas_w = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_WIDTH);
  const uint32_t canvas_h = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_HEIGHT);
  if (Status size = CheckImageSize(canvas_w, canvas_h, options.limits);
      !size.ok()) {
    return size.error();
  }

  FrameIterator frame;
  frame.valid = WebPDemuxGetFrame(demux.get(), 1, &frame.it) != 0;
  if (!frame.valid || !frame.it.complete) {
    return MakeError(ErrorCode::kCorrupt, "WebP has no complete image frame");
  }
  const WebPIterator& it = frame.it;
  // The demuxer guarantees the frame lies within the canvas; re-check since
  // we write through raw pointers below.
  if (it.width <= 0 || it.height <= 0 || it.x_offset < 0 || it.y_offset < 0 ||
      static_cast<uint64_t>(it.x_offset) + it.width > canvas_w ||
      static_cast<uint64_t>(it.y_offset) + it.height > canvas_h) {
    return MakeError(ErrorCode::kCorrupt, "WebP frame lies outside the canvas");
  }

  WebPDecoderConfig config;
  if (WebPInitDecoderConfig(&config) == 0) {
    return MakeError(ErrorCode::kInternal, "libwebp version mismatch");
  }
  VP8StatusCode status =
      WebPGetFeatures(it.fragment.bytes, it.fragment.size, &config.input);
  if (status != VP8_STATUS_OK) return StatusError(status);
  if (config.input.width != it.width || config.input.height != it.height) {
    return MakeError(ErrorCode::kCorrupt,
                     "WebP frame size disagrees with its bitstream");
  }

  Image image = AllocateImage(static_cast<int>(canvas_w),
                              static_cast<int>(canvas_h), PixelFormat::kRgb8);
  // Decode straight into the canvas: the frame's rectangle, canvas stride.
  // RGB output mode drops alpha without blending.
  config.output.colorspace = MODE_RGB;
  config.output.is_external_memory = 1;
  const size_t stride = image.row_bytes();
  uint8_t* origin =
      image.row(it.y_offset) + static_cast<size_t>(it.x_offset) * 3;
  config.output.u.RGBA.rgba = origin;
  config.output.u.RGBA.stride = static_cast<int>(stride);
  config.output.u.RGBA.size =
      stride * (it.height - 1) + static_cast<size_t>(it.width) * 3;
  status = WebPDecode(it.fragment.bytes, it.fragment.size, &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) return StatusError(status);

  ChunkIterator exif;
  exif.valid = WebPDemuxGetChunk(demux.get(), "EXIF", 1, &exif.it) != 0;
  if (exif.valid) {
    image.orientation =
        ParseExifOrientation({exif.it.chunk.bytes, exif.it.chunk.size});
  }
  return image;
}

}  // namespace bulwark::media

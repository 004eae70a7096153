// BMP, parsed by hand with every read bounds-checked: BITMAPCOREHEADER,
// BITMAPINFOHEADER (and its 52/56-byte variants), V4 and V5 headers; 1/4/8-bit
// palette, 16/24/32-bit with BI_RGB, BI_BITFIELDS or BI_ALPHABITFIELDS;
// bottom-up and top-down. RLE, embedded JPEG/PNG and OS/2 2.x headers are
// reported as unsupported. Alpha masks are ignored. Always Rgb8.
#pragma once

#include "bulwark/media/decoder.h"

namespace bulwark::media {

class BmpDecoder final : public Decoder {
 public:
  ImageFormat format() const override { return ImageFormat::kBmp; }
  Result<Image> Decode(std::span<const uint8_t> bytes,
                       const DecodeOptions& options) const override;
};

}  // namespace bulwark::media

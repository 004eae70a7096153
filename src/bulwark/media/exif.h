// Reading the orientation tag (0x0112) out of an EXIF block. EXIF arrives
// from hostile files, so every offset is checked and anything malformed is
// treated as "no orientation" rather than an error: a broken tag must not
// make an otherwise good image undecodable.
#pragma once

#include <cstdint>
#include <span>

#include "bulwark/media/image.h"

namespace bulwark::media {

// `exif` is a TIFF-structured block ("II*\0" or "MM\0*" header, either byte
// order), optionally preceded by the "Exif\0\0" identifier that JPEG APP1
// segments (and some WebP writers) carry. Returns the orientation stored in
// IFD0, or kTopLeft when the tag is absent, out of range 1..8, or the block
// is malformed. Reads only within `exif`.
Orientation ParseExifOrientation(std::span<const uint8_t> exif);

}  // namespace bulwark::media

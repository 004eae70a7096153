// The one place that decides whether a header's claimed size is acceptable,
// so every decoder rejects oversized or empty images with the same words.
#pragma once

#include <cstdint>

#include "bulwark/core/result.h"
#include "bulwark/media/decode_options.h"
#include "bulwark/media/image.h"

namespace bulwark::media {

// Checks a width and height (pixels, as read from a header, before any pixel
// buffer exists) against `limits`. Zero in either is kCorrupt; over
// max_pixels or max_side is kLimitExceeded. Takes 64-bit values so callers
// can pass raw header fields without narrowing first.
Status CheckImageSize(uint64_t width, uint64_t height,
                      const DecodeLimits& limits);

// An Image of the given size and format with zeroed pixels. Call only after
// CheckImageSize succeeded for the same size.
Image AllocateImage(int width, int height, PixelFormat format);

}  // namespace bulwark::media

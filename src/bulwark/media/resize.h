// Nearest-neighbour resampling of 8-bit images.
#pragma once

#include "bulwark/media/image.h"

namespace bulwark::media {

// Destination pixel (x, y) takes source pixel (floor(x*W/w), floor(y*H/h)),
// the mapping CImg's resize() uses by default, which Meta's pdq-photo-hasher
// applies to squash large images to 512x512. Aspect ratio is not kept.
// `width`, `height` >= 1. Orientation and source size are carried over.
Image ResizeNearest(const Image& src, int width, int height);

}  // namespace bulwark::media

// Turning a stored image upright according to its EXIF orientation.
// Decoders return pixels as stored; whether to rotate is the caller's choice
// (PDQ hashes of the stored and the upright image differ).
#pragma once

#include "bulwark/media/image.h"

namespace bulwark::media {

// Returns a copy of `image` rotated/mirrored so that it displays upright,
// with orientation set to kTopLeft. For orientations 5..8 width and height
// swap. `image` must be well-formed (pixels.size() matches its dimensions).
Image ApplyOrientation(const Image& image);

}  // namespace bulwark::media

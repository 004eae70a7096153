// Deterministic benign test images: smooth gradients plus seeded noise.
#pragma once

#include <cstdint>

#include "bulwark/media/image.h"

namespace bulwark::testing {

// `noise` (0..255) is the amplitude of the per-pixel pseudo-random term added
// to a diagonal gradient with a few soft discs, so images have both texture
// and structure.
media::Image SyntheticImage(int width, int height, media::PixelFormat format,
                            uint32_t seed, int noise = 40);

// Every pixel R == G == B, stored as Rgb8.
media::Image GreyAsRgb(const media::Image& grey);

}  // namespace bulwark::testing

// JPEG encoding of an 8-bit image with libjpeg-turbo, for the images
// Bulwark itself produces (the reviewer views of incident evidence).
#pragma once

#include <cstdint>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/media/image.h"

namespace bulwark::media {

// Baseline JPEG, Gray8 as one channel, Rgb8 as YCbCr. `quality` 1..100.
Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality = 85);

}  // namespace bulwark::media

// What a reviewer sees of an incident's image. Images are never shown in
// the clear by default: `blurred` reduces the image to at most 16 pixels
// on its long side (averaging each block, so nothing identifiable
// survives) and scales that back up with nearest-neighbour into visible
// blocks; `grayscale` is a grey, reduced copy (at most 256 pixels on the
// long side) that shows the scene without colour or fine detail. Only
// `original` gives the bytes as received, and only with a reason, which
// the caller records in the audit log.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/media/decode_options.h"

namespace bulwark::incident {

enum class View { kBlurred, kGrayscale, kOriginal };
const char* ViewName(View v);  // "blurred", "grayscale", "original"
Result<View> ParseView(std::string_view name);

struct ViewOptions {
  media::DecodeLimits limits;
  int blur_side = 16;        // long side of the averaged image, pixels
  int blurred_side = 256;    // long side of the blurred view as shown
  int grayscale_side = 256;  // long side of the grey view
};

struct RenderedView {
  std::vector<uint8_t> bytes;
  std::string media_type;  // "image/jpeg" for the reduced views
};

// Renders `view` of the encoded image `media`. `reason` is required for
// kOriginal (kInvalidArgument without one) and ignored otherwise.
Result<RenderedView> RenderView(std::span<const uint8_t> media, View view,
                                const std::string& reason,
                                const ViewOptions& options = {});

}  // namespace bulwark::incident

#include "bulwark/detect/decoded_image.h"

namespace bulwark::detect {

const Result<media::Image>& DecodedImage::Get(std::span<const uint8_t> bytes) {
  std::call_once(once_,
                 [&] { image_.emplace(media::DecodeImage(bytes, options_)); });
  return *image_;
}

}  // namespace bulwark::detect

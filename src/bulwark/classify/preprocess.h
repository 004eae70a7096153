// Turning a decoded image into a model's input tensor, exactly as the model's
// own pipeline does (for nsfwjs: TF.js's x / 255 followed by
// tf.image.resizeBilinear with alignCorners, on the CPU backend), so that
// scores equal the original's.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "bulwark/classify/model_manifest.h"
#include "bulwark/media/image.h"

namespace bulwark::classify {

class Preprocessor {
 public:
  explicit Preprocessor(const InputSpec& spec);

  // Floats in one input tensor: width * height * 3.
  size_t tensor_size() const { return tensor_size_; }

  // Writes the tensor for `image` into `tensor` (tensor_size() floats, in
  // spec.layout). The image is read upright (its EXIF orientation applied,
  // without copying it); Gray8 is read as R = G = B. Each model channel is
  // normalised per source sample, (sample - mean) / std rounded to float,
  // then interpolated in double precision and rounded to float, which is
  // the order and precision of TF.js's CPU kernels. `image` must be
  // well-formed: width, height >= 1 and pixels.size() matching them.
  void Run(const media::Image& image, std::span<float> tensor) const;

 private:
  InputSpec spec_;
  size_t tensor_size_;
  // normalised_[c][v]: model channel c's value for sample v.
  std::array<std::array<float, 256>, 3> normalised_;
};

}  // namespace bulwark::classify

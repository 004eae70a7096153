// The model manifest: a small TOML file that describes one image-classifier
// model (its file, pinned SHA-256, how images are fed to it and what its
// outputs mean), so that a platform can drop in its own model without code
// changes. The format is documented in data/models/README.md.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::classify {

// Order of the input tensor's dimensions (the batch is always 1).
enum class TensorLayout { kNchw, kNhwc };

// Order of the three colour channels the model expects.
enum class ColourOrder { kRgb, kBgr };

// How the upright image is resized to the model's input size; both are
// bilinear and named as TensorFlow's tf.image.resizeBilinear flags.
enum class ResizeMethod {
  // alignCorners = true: corner pixel centres map onto corner pixel centres
  // (source = dest * (in - 1) / (out - 1)). What nsfwjs uses.
  kBilinearAlignCorners,
  // halfPixelCenters = true: source = (dest + 0.5) * in / out - 0.5, the
  // mapping of OpenCV's INTER_LINEAR and PyTorch's align_corners=False
  // (without antialiasing).
  kBilinearHalfPixel,
};

struct InputSpec {
  int width = 0;   // pixels, 1..kMaxInputSide
  int height = 0;  // pixels, 1..kMaxInputSide
  TensorLayout layout = TensorLayout::kNchw;
  ColourOrder colour_order = ColourOrder::kRgb;
  ResizeMethod resize = ResizeMethod::kBilinearAlignCorners;
  // Per model channel (in colour_order), on 0..255 samples: the model sees
  // (sample - mean) / std, rounded to float.
  std::array<double, 3> mean = {0.0, 0.0, 0.0};
  std::array<double, 3> std = {1.0, 1.0, 1.0};  // never 0
};

struct OutputLabel {
  std::string label;   // class name, e.g. "porn"
  std::string signal;  // signal it feeds, e.g. "nsfw.porn"; empty: none
};

struct ModelManifest {
  std::filesystem::path path;  // the manifest file itself
  std::string name;            // e.g. "nsfwjs-mobilenet-v2"
  std::filesystem::path file;  // the ONNX model, resolved against `path`
  std::string sha256;          // 64 lowercase hex digits
  std::string licence;         // e.g. "MIT"
  std::string origin;          // where the model comes from, free text
  InputSpec input;
  std::vector<OutputLabel> outputs;  // in the model's output order
};

inline constexpr int kMaxInputSide = 4096;
inline constexpr size_t kMaxOutputLabels = 4096;
inline constexpr uint64_t kMaxManifestBytes = 1 << 20;

// Parses manifest text. `path` names the manifest in errors and is the
// directory a relative `file` is resolved against. Strict: unknown keys,
// missing keys and out-of-range values are kInvalidArgument errors whose
// message starts with the path (and line) and names the key.
Result<ModelManifest> ParseModelManifest(std::string_view text,
                                         const std::filesystem::path& path);

// Reads (at most kMaxManifestBytes) and parses the manifest at `path`.
Result<ModelManifest> LoadModelManifest(const std::filesystem::path& path);

}  // namespace bulwark::classify

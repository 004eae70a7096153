// The Classifier that runs an ONNX model with OpenCV's DNN module (the only
// ONNX runtime Debian ships).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bulwark/classify/classifier.h"
#include "bulwark/classify/model_manifest.h"
#include "bulwark/core/result.h"

namespace bulwark::classify {

// `model` is the verified content of manifest.file (model_file.h). Fails
// (naming the file) if OpenCV cannot read the model or if one inference on
// a blank input does not give exactly one value per manifest label.
Result<std::unique_ptr<Classifier>> MakeOnnxClassifier(
    ModelManifest manifest, std::vector<uint8_t> model,
    const ClassifierOptions& options);

}  // namespace bulwark::classify

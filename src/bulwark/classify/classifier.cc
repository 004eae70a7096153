#include "bulwark/classify/classifier.h"

#include <utility>

#include "bulwark/classify/model_file.h"
#include "bulwark/classify/onnx_classifier.h"

namespace bulwark::classify {

Result<std::unique_ptr<Classifier>> LoadClassifier(
    const std::filesystem::path& manifest_path,
    const ClassifierOptions& options) {
  auto manifest = LoadModelManifest(manifest_path);
  if (!manifest.ok()) return manifest.error();
  auto model = ReadModelFile(*manifest);
  if (!model.ok()) return model.error();
  return MakeOnnxClassifier(std::move(*manifest), std::move(*model), options);
}

}  // namespace bulwark::classify

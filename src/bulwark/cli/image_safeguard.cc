#include "bulwark/cli/image_safeguard.h"

namespace bulwark::cli {

Result<std::unique_ptr<detect::ClassifierDetector>> LoadImageClassifier(
    const policy::Policy& policy, const media::DecodeOptions& decode) {
  const std::string& model = policy.image().model;
  if (model.empty()) return std::unique_ptr<detect::ClassifierDetector>();
  auto classifier = classify::LoadClassifier(model, {});
  if (!classifier.ok()) {
    std::string m = "image classifier: ";
    m += classifier.error().message;
    m += " (run scripts/install-models.sh, or set [image] model = \"\" in the "
         "policy to run without one)";
    return MakeError(classifier.error().code, std::move(m));
  }
  return std::make_unique<detect::ClassifierDetector>(
      std::shared_ptr<const classify::Classifier>(std::move(*classifier)),
      decode);
}

}  // namespace bulwark::cli

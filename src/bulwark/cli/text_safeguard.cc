#include "bulwark/cli/text_safeguard.h"

namespace bulwark::cli {

std::string TextCacheDir(const std::string& data_dir) {
  return data_dir + "/cache/text";
}

Result<policy::Policy> LoadPolicy(const std::string& path) {
  if (path.empty()) return policy::Policy::Default();
  return policy::Policy::Load(path);
}

Result<TextSafeguard> LoadTextSafeguard(const std::string& policy_path,
                                        const std::string& lexicon_dir,
                                        const std::string& cache_dir) {
  auto policy = LoadPolicy(policy_path);
  if (!policy.ok()) return policy.error();
  TextSafeguard out{std::move(*policy), nullptr, nullptr};
  text::TextCheckerOptions options = out.policy.text();
  if (options.rules.empty()) return out;
  if (!lexicon_dir.empty()) options.lexicon_dir = lexicon_dir;
  options.cache_dir = cache_dir;
  auto checker = text::TextChecker::Create(options);
  if (!checker.ok()) {
    return MakeError(checker.error().code,
                     "text detector: " + checker.error().message);
  }
  out.checker = std::make_shared<const text::TextChecker>(std::move(*checker));
  out.detector = std::make_unique<detect::TextDetector>(out.checker);
  return out;
}

}  // namespace bulwark::cli

// The policy and its text detector, as the commands that check text build
// them (serve, check text, redteam): the policy file or the default, its
// lexicons unless --lexicons overrides them, compiled patterns cached in the
// data directory.
#pragma once

#include <memory>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/detect/text_detector.h"
#include "bulwark/policy/policy.h"

namespace bulwark::cli {

struct TextSafeguard {
  policy::Policy policy;
  // Null when the policy has no text rules.
  std::shared_ptr<const text::TextChecker> checker;
  std::unique_ptr<detect::TextDetector> detector;
};

// The policy file at `path`, or the default policy for "".
Result<policy::Policy> LoadPolicy(const std::string& path);

// policy_path "" = the default policy; lexicon_dir "" = the policy's;
// cache_dir "" = compile the patterns every time.
Result<TextSafeguard> LoadTextSafeguard(const std::string& policy_path,
                                        const std::string& lexicon_dir,
                                        const std::string& cache_dir);

// Where the commands cache compiled lexicons: DATA/cache/text.
std::string TextCacheDir(const std::string& data_dir);

}  // namespace bulwark::cli

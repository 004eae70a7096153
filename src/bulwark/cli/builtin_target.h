// The built-in text safeguard (the policy's text rules over its lexicons)
// as a red-team target, and its lexicon terms for the synonym converter.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/redteam/target.h"

namespace bulwark::cli {

// policy_path: "" for the default policy; lexicon_dir: "" for the policy's
// own; cache_dir: where compiled lexicons are kept ("" = none).
Result<std::unique_ptr<redteam::Target>> MakeBuiltinTarget(
    const std::string& policy_path, const std::string& lexicon_dir,
    const std::string& cache_dir = "");

// The policy's lexicon terms of the indicator categories (minor, sexual,
// suggestive, coded), one group per category, for the synonym converter.
Result<std::vector<std::vector<std::string>>> LexiconSynonymGroups(
    const std::string& policy_path, const std::string& lexicon_dir);

}  // namespace bulwark::cli

// Parsing of the policy's `[image]` section (policy/image_policy.h).
#pragma once

#include <toml++/toml.h>

#include <string>

#include "bulwark/core/result.h"
#include "bulwark/policy/image_policy.h"

namespace bulwark::policy::internal {

// `base_dir`: where a relative `model` path starts.
Result<ImagePolicy> ParseImage(const toml::node& node,
                               const std::string& base_dir);

}  // namespace bulwark::policy::internal

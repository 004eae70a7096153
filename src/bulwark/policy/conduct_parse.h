// The [conduct] section of a policy file (policy/conduct.h).
#pragma once

#include <toml++/toml.h>

#include "bulwark/core/result.h"
#include "bulwark/policy/conduct.h"

namespace bulwark::policy::internal {

// Rule names in ban_at_once are checked by the caller, which knows every
// rule of the file.
Result<ConductPolicy> ParseConduct(const toml::node& node);

}  // namespace bulwark::policy::internal

// config/policy.toml as shipped, compiled in (generated from that file by
// CMake), so the built-in default and the documented file cannot drift.
#pragma once

#include <string_view>

namespace bulwark::policy {

std::string_view DefaultPolicyToml();

}  // namespace bulwark::policy

// Pieces of the policy parser shared by its sections (policy_parse.cc,
// conduct_parse.cc). Every error names the policy line and the key.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/policy/verdict.h"

namespace bulwark::policy::internal {

// kInvalidArgument: "policy line N: KEY: WHAT".
Error Fail(const toml::source_region& where, const std::string& key,
           const std::string& what);

// "allow" | "review" | "block" | "report".
Result<Action> ParseAction(const toml::node& node, const std::string& key);

// A non-empty string.
Result<std::string> ParseString(const toml::node& node, const std::string& key);

// A whole number from 1 to `max`.
Result<int> ParsePositive(const toml::node& node, const std::string& key,
                          int max);

// A non-empty array of non-empty strings.
Result<std::vector<std::string>> ParseStrings(const toml::node& node,
                                              const std::string& key);

// A number of at least 0 (an integer or a float), at most `max`.
Result<double> ParseNonNegative(const toml::node& node, const std::string& key,
                                double max);

// A duration: a whole number and a unit, "90s", "15m", "24h", "30d";
// milliseconds, at least one second.
Result<int64_t> ParseDuration(const toml::node& node, const std::string& key);

}  // namespace bulwark::policy::internal

#include "bulwark/policy/policy.h"

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <utility>

#include "bulwark/core/file.h"
#include "bulwark/policy/default_policy.h"

namespace bulwark::policy {
namespace {

// A policy file is a few lines; anything near this is not one.
constexpr uint64_t kMaxPolicyBytes = 1 << 20;

bool Matches(const Rule& rule, const detect::Finding& f) {
  if (rule.finding && *rule.finding != f.kind) return false;
  if (rule.category && *rule.category != f.category) return false;
  if (rule.detector && *rule.detector != f.detector) return false;
  if (rule.min_score && f.score < *rule.min_score) return false;
  return true;
}

}  // namespace

Policy Policy::Default() {
  // The shipped file is compiled in and parsed by a test, so it parses.
  auto p = Parse(DefaultPolicyToml());
  assert(p.ok());
  return std::move(*p);
}

Result<Policy> Policy::Load(const std::string& path) {
  std::string prefix = path;
  prefix += ": ";
  auto bytes = ReadFile(path, kMaxPolicyBytes);
  if (!bytes.ok()) {
    std::string m = "policy file ";
    m += prefix;
    m += bytes.error().message;
    return MakeError(bytes.error().code, std::move(m));
  }
  const std::string text(bytes->begin(), bytes->end());
  auto policy = Parse(text, std::filesystem::path(path).parent_path().string());
  if (!policy.ok()) {
    // Parse errors already say "policy line N".
    return MakeError(policy.error().code, prefix + policy.error().message);
  }
  return policy;
}

Verdict Policy::Decide(const std::vector<detect::DetectorReport>& reports,
                       detect::Direction direction) const {
  Verdict v;
  for (const detect::DetectorReport& r : reports) {
    if (r.error) {
      // A detector that could not look is not evidence of innocence: the
      // on_error action applies (review by default: fail closed).
      v.action = std::max(v.action, on_error_);
      std::string reason = "detector ";
      reason += r.detector;
      reason += " failed: ";
      reason += r.error->message;
      v.reasons.push_back(std::move(reason));
    }
    for (const detect::Finding& f : r.findings) {
      for (const Rule& rule : rules_) {
        if (!Matches(rule, f)) continue;
        v.action = std::max(v.action, rule.action);
        v.rules.push_back(rule.name);
        if (!rule.flag_category.empty()) {
          v.categories.push_back(rule.flag_category);
        }
        std::string reason = "rule ";
        reason += rule.name;
        reason += ": ";
        reason += f.reason;
        v.reasons.push_back(std::move(reason));
      }
    }
  }
  ApplyImageRules(image_, reports, direction, v);
  std::sort(v.categories.begin(), v.categories.end());
  v.categories.erase(std::unique(v.categories.begin(), v.categories.end()),
                     v.categories.end());
  std::sort(v.rules.begin(), v.rules.end());
  v.rules.erase(std::unique(v.rules.begin(), v.rules.end()), v.rules.end());
  return v;
}

}  // namespace bulwark::policy

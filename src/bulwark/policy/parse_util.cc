#include "bulwark/policy/parse_util.h"

#include <cmath>
#include <utility>

namespace bulwark::policy::internal {

Error Fail(const toml::source_region& where, const std::string& key,
           const std::string& what) {
  std::string m = "policy line ";
  m += std::to_string(where.begin.line);
  m += ": ";
  m += key;
  m += ": ";
  m += what;
  return MakeError(ErrorCode::kInvalidArgument, std::move(m));
}

Result<Action> ParseAction(const toml::node& node, const std::string& key) {
  const std::optional<std::string> s = node.value<std::string>();
  if (s && *s == "allow") return Action::kAllow;
  if (s && *s == "review") return Action::kReview;
  if (s && *s == "block") return Action::kBlock;
  if (s && *s == "report") return Action::kReport;
  return Fail(node.source(), key,
              "must be one of \"allow\", \"review\", \"block\", \"report\"");
}

Result<std::string> ParseString(const toml::node& node,
                                const std::string& key) {
  const std::optional<std::string> s = node.value<std::string>();
  if (!s) return Fail(node.source(), key, "must be a string");
  if (s->empty()) return Fail(node.source(), key, "must not be empty");
  return *s;
}

Result<int> ParsePositive(const toml::node& node, const std::string& key,
                          int max) {
  const std::optional<int64_t> n = node.value<int64_t>();
  if (!n || *n < 1 || *n > max) {
    return Fail(node.source(), key,
                "must be a whole number from 1 to " + std::to_string(max));
  }
  return static_cast<int>(*n);
}

Result<std::vector<std::string>> ParseStrings(const toml::node& node,
                                              const std::string& key) {
  const toml::array* a = node.as_array();
  if (!a || a->empty()) {
    return Fail(node.source(), key, "must be a non-empty array of strings");
  }
  std::vector<std::string> out;
  for (const toml::node& e : *a) {
    auto s = ParseString(e, key);
    if (!s.ok()) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<double> ParseNonNegative(const toml::node& node, const std::string& key,
                                double max) {
  const std::optional<double> d = node.value<double>();
  if (!d || !std::isfinite(*d) || *d < 0 || *d > max) {
    return Fail(node.source(), key,
                "must be a number from 0 to " + std::to_string(max));
  }
  return *d;
}

Result<int64_t> ParseDuration(const toml::node& node, const std::string& key) {
  const std::optional<std::string> s = node.value<std::string>();
  auto bad = [&] {
    return Fail(node.source(), key,
                "must be a duration such as \"90s\", \"15m\", \"24h\" or "
                "\"30d\"");
  };
  if (!s || s->size() < 2 || s->size() > 12) return bad();
  int64_t n = 0;
  for (size_t i = 0; i + 1 < s->size(); ++i) {
    const char c = (*s)[i];
    if (c < '0' || c > '9') return bad();
    n = n * 10 + (c - '0');
  }
  int64_t unit = 0;
  switch (s->back()) {
    case 's':
      unit = 1000;
      break;
    case 'm':
      unit = 60 * 1000;
      break;
    case 'h':
      unit = 3600 * 1000;
      break;
    case 'd':
      unit = 86400 * 1000;
      break;
    default:
      return bad();
  }
  // Ten years is beyond any strike or suspension a policy means.
  if (n < 1 || n * unit > int64_t{3650} * 86400 * 1000) return bad();
  return n * unit;
}

}  // namespace bulwark::policy::internal

#include "bulwark/policy/conduct_parse.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "bulwark/policy/parse_util.h"

namespace bulwark::policy {

const char* ConductStepName(ConductStep s) {
  switch (s) {
    case ConductStep::kWarn:
      return "warn";
    case ConductStep::kThrottle:
      return "throttle";
    case ConductStep::kSuspend:
      return "suspend";
    case ConductStep::kBan:
      return "ban";
  }
  return "warn";
}

double ConductPolicy::PointsFor(const Verdict& v) const {
  double points = 0;
  for (const std::string& c : v.categories) {
    for (const StrikeWeight& w : weights) {
      if (w.category != c) continue;
      switch (v.action) {
        case Action::kAllow:
          break;
        case Action::kReview:
          points = std::max(points, w.review);
          break;
        case Action::kBlock:
          points = std::max(points, w.block);
          break;
        case Action::kReport:
          points = std::max(points, w.report >= 0 ? w.report : w.block);
          break;
      }
    }
  }
  return points;
}

namespace internal {
namespace {

// Points are small numbers; anything near this is a typo.
constexpr double kMaxPoints = 1e6;
constexpr double kMaxPerMinute = 1e7;

const toml::table* AsTable(const toml::node& node, const std::string& key,
                           Error* error) {
  const toml::table* t = node.as_table();
  if (!t) *error = Fail(node.source(), key, "must be a table");
  return t;
}

Result<StrikeWeight> ParseWeight(const toml::table& table,
                                 const std::string& key) {
  StrikeWeight w;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "category") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      w.category = std::move(*s);
    } else if (name == "block" || name == "review" || name == "report") {
      auto d = ParseNonNegative(v, path, kMaxPoints);
      if (!d.ok()) return d.error();
      (name == "block" ? w.block : name == "review" ? w.review : w.report) = *d;
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected category, block, review or report)");
    }
  }
  if (w.category.empty()) {
    return Fail(table.source(), key, "missing \"category\"");
  }
  return w;
}

Result<ConductStep> ParseStep(const toml::node& node, const std::string& key) {
  const std::optional<std::string> s = node.value<std::string>();
  if (s && *s == "warn") return ConductStep::kWarn;
  if (s && *s == "throttle") return ConductStep::kThrottle;
  if (s && *s == "suspend") return ConductStep::kSuspend;
  if (s && *s == "ban") return ConductStep::kBan;
  return Fail(node.source(), key,
              "must be one of \"warn\", \"throttle\", \"suspend\", \"ban\"");
}

Result<Threshold> ParseThreshold(const toml::table& table,
                                 const std::string& key) {
  Threshold t;
  bool has_step = false;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "points") {
      auto d = ParseNonNegative(v, path, kMaxPoints);
      if (!d.ok()) return d.error();
      if (*d <= 0) return Fail(v.source(), path, "must be more than 0");
      t.points = *d;
    } else if (name == "action") {
      auto s = ParseStep(v, path);
      if (!s.ok()) return s.error();
      t.step = *s;
      has_step = true;
    } else if (name == "per_minute") {
      auto d = ParseNonNegative(v, path, kMaxPerMinute);
      if (!d.ok()) return d.error();
      t.per_minute = *d;
    } else if (name == "duration") {
      auto d = ParseDuration(v, path);
      if (!d.ok()) return d.error();
      t.duration_ms = *d;
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected points, action, per_minute or "
                  "duration)");
    }
  }
  if (t.points <= 0) return Fail(table.source(), key, "missing \"points\"");
  if (!has_step) return Fail(table.source(), key, "missing \"action\"");
  if (t.step == ConductStep::kThrottle && t.per_minute <= 0) {
    return Fail(table.source(), key,
                "a throttle needs \"per_minute\" (more than 0)");
  }
  if (t.step == ConductStep::kSuspend && t.duration_ms <= 0) {
    return Fail(table.source(), key, "a suspension needs \"duration\"");
  }
  if ((t.step != ConductStep::kThrottle && t.per_minute > 0) ||
      (t.step != ConductStep::kSuspend && t.duration_ms > 0)) {
    return Fail(table.source(), key,
                "per_minute belongs to throttle, duration to suspend");
  }
  return t;
}

Result<RateLimit> ParseRateLimit(const toml::node& node,
                                 const std::string& key) {
  Error error;
  const toml::table* table = AsTable(node, key, &error);
  if (!table) return error;
  RateLimit r;
  bool has_burst = false;
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "per_minute" || name == "burst") {
      auto d = ParseNonNegative(v, path, kMaxPerMinute);
      if (!d.ok()) return d.error();
      (name == "burst" ? r.burst : r.per_minute) = *d;
      has_burst = has_burst || name == "burst";
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected per_minute or burst)");
    }
  }
  if (r.per_minute <= 0) {
    return Fail(table->source(), key, "needs \"per_minute\" (more than 0)");
  }
  if (!has_burst) r.burst = std::max(1.0, r.per_minute / 6);
  if (r.burst < 1) return Fail(table->source(), key, "burst must be >= 1");
  return r;
}

template <typename T, typename F>
Status ParseTables(const toml::node& node, const std::string& key, F parse,
                   std::vector<T>& out) {
  const toml::array* list = node.as_array();
  if (!list || !list->is_array_of_tables()) {
    return Fail(node.source(), key, "must be [[" + key + "]] tables");
  }
  for (size_t i = 0; i < list->size(); ++i) {
    std::string at = key + "[" + std::to_string(i + 1) + "]";
    auto item = parse(*list->get(i)->as_table(), at);
    if (!item.ok()) return item.error();
    out.push_back(std::move(*item));
  }
  return Ok{};
}

}  // namespace

Result<ConductPolicy> ParseConduct(const toml::node& node) {
  Error error;
  const toml::table* table = AsTable(node, "conduct", &error);
  if (!table) return error;
  ConductPolicy c;
  c.enabled = true;
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    const std::string path = "conduct." + name;
    Status s = Ok{};
    if (name == "strike_ttl") {
      auto d = ParseDuration(v, path);
      if (!d.ok()) return d.error();
      c.strike_ttl_ms = *d;
    } else if (name == "ban_at_once") {
      auto names = ParseStrings(v, path);
      if (!names.ok()) return names.error();
      c.ban_at_once = std::move(*names);
    } else if (name == "weight") {
      s = ParseTables(v, path, ParseWeight, c.weights);
    } else if (name == "threshold") {
      s = ParseTables(v, path, ParseThreshold, c.thresholds);
    } else if (name == "rate_limit") {
      const toml::table* limits = AsTable(v, path, &error);
      if (!limits) return error;
      for (const auto& [lk, lv] : *limits) {
        const std::string lname(lk.str());
        if (lname != "account" && lname != "api_key") {
          return Fail(lk.source(), path + "." + lname,
                      "unknown key (expected account or api_key)");
        }
        auto r = ParseRateLimit(lv, path + "." + lname);
        if (!r.ok()) return r.error();
        (lname == "account" ? c.account_rate : c.api_key_rate) = *r;
      }
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected strike_ttl, ban_at_once, "
                  "[[conduct.weight]], [[conduct.threshold]] or "
                  "[conduct.rate_limit])");
    }
    if (!s.ok()) return s.error();
  }
  std::set<std::string> categories;
  for (const StrikeWeight& w : c.weights) {
    if (!categories.insert(w.category).second) {
      return Fail(table->source(), "conduct.weight",
                  "category \"" + w.category + "\" has two weights");
    }
  }
  // Thresholds must escalate: more points, never a milder step, so that
  // "the highest threshold reached" is also the most severe.
  for (size_t i = 1; i < c.thresholds.size(); ++i) {
    const Threshold& a = c.thresholds[i - 1];
    const Threshold& b = c.thresholds[i];
    if (b.points <= a.points || b.step < a.step) {
      return Fail(table->source(), "conduct.threshold",
                  "thresholds must be in ascending order of points, each "
                  "step as severe as the one before (warn, throttle, "
                  "suspend, ban)");
    }
  }
  return c;
}

}  // namespace internal
}  // namespace bulwark::policy

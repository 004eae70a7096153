#include "bulwark/policy/image_policy_parse.h"

#include <filesystem>

#include "bulwark/policy/parse_util.h"

namespace bulwark::policy::internal {
namespace {

Result<double> ParseFraction(const toml::node& node, const std::string& key) {
  return ParseNonNegative(node, key, 1.0);
}

Result<detect::Direction> ParseDirection(const toml::node& node,
                                         const std::string& key) {
  auto s = ParseString(node, key);
  if (!s.ok()) return s.error();
  for (detect::Direction d :
       {detect::Direction::kInput, detect::Direction::kOutput,
        detect::Direction::kDataset}) {
    if (*s == detect::DirectionName(d)) return d;
  }
  return Fail(node.source(), key, "must be input, output or dataset");
}

Result<ImageRule> ParseImageRule(const toml::table& table,
                                 const std::string& key) {
  ImageRule rule;
  bool has_action = false, has_sexual = false;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "name" || name == "category") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      (name == "name" ? rule.name : rule.category) = std::move(*s);
    } else if (name == "direction") {
      auto d = ParseDirection(v, path);
      if (!d.ok()) return d.error();
      rule.direction = *d;
    } else if (name == "sexual_at_least" || name == "youth_at_least" ||
               name == "youth_below") {
      auto x = ParseFraction(v, path);
      if (!x.ok()) return x.error();
      if (name == "sexual_at_least") {
        rule.sexual_at_least = *x;
        has_sexual = true;
      } else {
        (name == "youth_at_least" ? rule.youth_at_least : rule.youth_below) =
            *x;
      }
    } else if (name == "action") {
      auto a = ParseAction(v, path);
      if (!a.ok()) return a.error();
      // A score says where to look first; it never proves what an image
      // shows, so it never files a report on its own.
      if (*a == Action::kReport) {
        return Fail(v.source(), path,
                    "an image rule cannot report: a classifier score is a "
                    "priority, not proof (use block or review)");
      }
      rule.action = *a;
      has_action = true;
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected name, direction, sexual_at_least, "
                  "youth_at_least, youth_below, action or category)");
    }
  }
  if (rule.name.empty()) return Fail(table.source(), key, "missing \"name\"");
  if (!has_sexual) {
    return Fail(table.source(), key, "missing \"sexual_at_least\"");
  }
  if (!has_action) return Fail(table.source(), key, "missing \"action\"");
  return rule;
}

Status ParseYouthSignals(const toml::node& node, const std::string& key,
                         ImagePolicy& image) {
  const toml::table* table = node.as_table();
  if (!table) {
    return Fail(node.source(), key,
                "must be a table of signal = score, e.g. "
                "{ \"age.minor\" = 0.5 }");
  }
  for (const auto& [k, v] : *table) {
    auto from = ParseFraction(v, key + "." + std::string(k.str()));
    if (!from.ok()) return from.error();
    image.youth_signals.emplace_back(std::string(k.str()), *from);
  }
  return Ok{};
}

}  // namespace

Result<ImagePolicy> ParseImage(const toml::node& node,
                               const std::string& base_dir) {
  const toml::table* table = node.as_table();
  if (!table) return Fail(node.source(), "image", "must be a table");
  ImagePolicy image;
  image.model = BULWARK_DEFAULT_MODEL;
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    const std::string path = "image." + name;
    if (name == "model") {
      // "" is how a policy says it runs no classifier.
      const std::optional<std::string> s = v.value<std::string>();
      if (!s) return Fail(v.source(), path, "must be a string");
      const std::filesystem::path p(*s);
      image.model = s->empty() || p.is_absolute()
                        ? *s
                        : (std::filesystem::path(base_dir) / p).string();
    } else if (name == "sexual" || name == "youth_rules") {
      auto list = ParseStrings(v, path);
      if (!list.ok()) return list.error();
      (name == "sexual" ? image.sexual_signals : image.youth_rules) =
          std::move(*list);
    } else if (name == "youth_signals") {
      if (Status s = ParseYouthSignals(v, path, image); !s.ok()) {
        return s.error();
      }
    } else if (name == "rule") {
      const toml::array* list = v.as_array();
      if (!list || !list->is_array_of_tables()) {
        return Fail(v.source(), path, "must be [[image.rule]] tables");
      }
      for (size_t i = 0; i < list->size(); ++i) {
        std::string key = "image.rule[";
        key += std::to_string(i + 1);
        key += "]";
        auto rule = ParseImageRule(*list->get(i)->as_table(), key);
        if (!rule.ok()) return rule.error();
        image.rules.push_back(std::move(*rule));
      }
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected model, sexual, youth_rules, "
                  "youth_signals or [[image.rule]])");
    }
  }
  if (!image.rules.empty() && image.sexual_signals.empty()) {
    return Fail(node.source(), "image.sexual",
                "missing: the image rules need the signals that make up "
                "the sexual score");
  }
  return image;
}

}  // namespace bulwark::policy::internal

// Policy::Parse: the TOML policy file into rules. Strict on purpose: an
// unknown key or value is an error naming its line, because a typo that
// silently dropped a condition or a rule would weaken a safeguard.
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "bulwark/policy/conduct_parse.h"
#include "bulwark/policy/image_policy_parse.h"
#include "bulwark/policy/parse_util.h"
#include "bulwark/policy/policy.h"

namespace bulwark::policy {
namespace {

using internal::Fail;
using internal::ParseAction;
using internal::ParsePositive;
using internal::ParseString;
using internal::ParseStrings;

// `when = { finding = ..., category = ..., detector = ..., min_score = ... }`
Status ParseWhen(const toml::node& node, const std::string& key, Rule& rule) {
  const toml::table* when = node.as_table();
  if (!when) return Fail(node.source(), key, "must be a table");
  for (const auto& [k, v] : *when) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "finding" || name == "category" || name == "detector") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      (name == "finding"    ? rule.finding
       : name == "category" ? rule.category
                            : rule.detector) = std::move(*s);
    } else if (name == "min_score") {
      // value<double> also accepts an integer (0 or 1).
      const std::optional<double> d = v.value<double>();
      if (!d || !(*d >= 0.0 && *d <= 1.0)) {
        return Fail(v.source(), path, "must be a number from 0 to 1");
      }
      rule.min_score = *d;
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected finding, category, detector or "
                  "min_score)");
    }
  }
  return Ok{};
}

Result<Rule> ParseRule(const toml::table& table, const std::string& key) {
  Rule rule;
  bool has_action = false, has_when = false;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "name") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      rule.name = std::move(*s);
    } else if (name == "when") {
      if (Status s = ParseWhen(v, path, rule); !s.ok()) return s.error();
      has_when = true;
    } else if (name == "action") {
      auto a = ParseAction(v, path);
      if (!a.ok()) return a.error();
      rule.action = *a;
      has_action = true;
    } else if (name == "category") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      rule.flag_category = std::move(*s);
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected name, when, action or category)");
    }
  }
  // Required so a rule always says what it matches and what it does; the
  // struct's defaults are not a policy anyone wrote.
  if (rule.name.empty()) return Fail(table.source(), key, "missing \"name\"");
  if (!has_when) return Fail(table.source(), key, "missing \"when\"");
  if (!has_action) return Fail(table.source(), key, "missing \"action\"");
  return rule;
}

// [[text.rule]]: a text rule for the detector plus the policy rule that
// acts on its findings, unless its action is "signal" (`decides` false):
// then its findings are only evidence for other rules.
Status ParseTextRule(const toml::table& table, const std::string& key,
                     text::TextRule& text_rule, Rule& rule, bool& decides) {
  bool has_action = false;
  decides = true;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string path = key + "." + name;
    if (name == "name" || name == "category") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      (name == "name" ? text_rule.name : rule.flag_category) = std::move(*s);
    } else if (name == "all") {
      auto all = ParseStrings(v, path);
      if (!all.ok()) return all.error();
      text_rule.all = std::move(*all);
    } else if (name == "window") {
      auto n = ParsePositive(v, path, 1000);
      if (!n.ok()) return n.error();
      text_rule.window = *n;
    } else if (name == "age_below") {
      auto n = ParsePositive(v, path, 150);
      if (!n.ok()) return n.error();
      text_rule.age_below = *n;
    } else if (name == "action") {
      has_action = true;
      if (v.value<std::string>() == "signal") {
        decides = false;
        continue;
      }
      auto a = ParseAction(v, path);
      if (!a.ok()) return a.error();
      rule.action = *a;
    } else {
      return Fail(k.source(), path,
                  "unknown key (expected name, all, window, age_below, "
                  "action or category)");
    }
  }
  if (text_rule.name.empty()) {
    return Fail(table.source(), key, "missing \"name\"");
  }
  if (text_rule.all.empty())
    return Fail(table.source(), key, "missing \"all\"");
  if (!has_action) return Fail(table.source(), key, "missing \"action\"");
  if (!decides && !rule.flag_category.empty()) {
    return Fail(table.source(), key,
                "a rule whose action is \"signal\" flags no category");
  }
  rule.name = text_rule.name;
  rule.detector = "text";
  rule.finding = "text.rule";
  rule.category = text_rule.name;  // the text detector's findings name it
  return Ok{};
}

Status ParseText(const toml::node& node, const std::string& base_dir,
                 text::TextCheckerOptions& options, std::vector<Rule>& rules) {
  const toml::table* table = node.as_table();
  if (!table) return Fail(node.source(), "text", "must be a table");
  for (const auto& [k, v] : *table) {
    const std::string name(k.str());
    const std::string path = "text." + name;
    if (name == "lexicons") {
      auto s = ParseString(v, path);
      if (!s.ok()) return s.error();
      std::filesystem::path p(*s);
      options.lexicon_dir =
          p.is_absolute() ? p.string()
                          : (std::filesystem::path(base_dir) / p).string();
    } else if (name == "languages") {
      auto langs = ParseStrings(v, path);
      if (!langs.ok()) return langs.error();
      options.languages = std::move(*langs);
    } else if (name == "rule") {
      const toml::array* list = v.as_array();
      if (!list || !list->is_array_of_tables()) {
        return Fail(v.source(), path, "must be [[text.rule]] tables");
      }
      for (size_t i = 0; i < list->size(); ++i) {
        std::string key = "text.rule[";
        key += std::to_string(i + 1);
        key += "]";
        text::TextRule text_rule;
        Rule rule;
        bool decides = true;
        Status s = ParseTextRule(*list->get(i)->as_table(), key, text_rule,
                                 rule, decides);
        if (!s.ok()) return s;
        options.rules.push_back(std::move(text_rule));
        if (decides) rules.push_back(std::move(rule));
      }
    } else {
      return Fail(
          k.source(), path,
          "unknown key (expected lexicons, languages or [[text.rule]])");
    }
  }
  return Ok{};
}

}  // namespace

Result<Policy> Policy::Parse(std::string_view text,
                             const std::string& base_dir) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Fail(e.source(), "syntax", std::string(e.description()));
  }
  Policy policy;
  policy.text_.lexicon_dir = BULWARK_DEFAULT_LEXICONS;
  bool has_rules = false;
  std::set<std::string> names;
  for (const auto& [k, v] : root) {
    const std::string name(k.str());
    if (name == "on_error") {
      auto a = ParseAction(v, name);
      if (!a.ok()) return a.error();
      policy.on_error_ = *a;
    } else if (name == "rule") {
      const toml::array* rules = v.as_array();
      if (!rules || !rules->is_array_of_tables()) {
        return Fail(v.source(), name, "must be [[rule]] tables");
      }
      for (size_t i = 0; i < rules->size(); ++i) {
        const toml::table& t = *rules->get(i)->as_table();
        std::string key = "rule[";
        key += std::to_string(i + 1);
        key += "]";
        auto rule = ParseRule(t, key);
        if (!rule.ok()) return rule.error();
        if (!names.insert(rule->name).second) {
          return Fail(t.source(), key,
                      "duplicate rule name \"" + rule->name + "\"");
        }
        policy.rules_.push_back(std::move(*rule));
      }
      has_rules = has_rules || !rules->empty();
    } else if (name == "text") {
      std::vector<Rule> text_rules;
      Status s = ParseText(v, base_dir, policy.text_, text_rules);
      if (!s.ok()) return s.error();
      for (const text::TextRule& rule : policy.text_.rules) {
        if (!names.insert(rule.name).second) {
          return Fail(v.source(), "text.rule",
                      "duplicate rule name \"" + rule.name + "\"");
        }
      }
      for (Rule& rule : text_rules) policy.rules_.push_back(std::move(rule));
      has_rules = has_rules || !text_rules.empty();
    } else if (name == "image") {
      auto image = internal::ParseImage(v, base_dir);
      if (!image.ok()) return image.error();
      policy.image_ = std::move(*image);
      for (const ImageRule& rule : policy.image_.rules) {
        if (!names.insert(rule.name).second) {
          return Fail(v.source(), "image.rule",
                      "duplicate rule name \"" + rule.name + "\"");
        }
      }
      has_rules = has_rules || !policy.image_.rules.empty();
    } else if (name == "conduct") {
      auto conduct = internal::ParseConduct(v);
      if (!conduct.ok()) return conduct.error();
      policy.conduct_ = std::move(*conduct);
    } else {
      return Fail(k.source(), name,
                  "unknown key (expected on_error, [[rule]], [text], "
                  "[image] or [conduct])");
    }
  }
  for (const std::string& rule : policy.conduct_.ban_at_once) {
    if (names.count(rule) == 0) {
      return Fail(root.source(), "conduct.ban_at_once",
                  "no rule is named \"" + rule + "\"");
    }
  }
  for (const std::string& rule : policy.image_.youth_rules) {
    const auto& text_rules = policy.text_.rules;
    if (std::none_of(text_rules.begin(), text_rules.end(),
                     [&](const text::TextRule& t) { return t.name == rule; })) {
      return Fail(root.source(), "image.youth_rules",
                  "no [[text.rule]] is named \"" + rule + "\"");
    }
  }
  // A policy without rules would allow every match: almost certainly a
  // mistake (an empty or truncated file), so refuse it.
  if (!has_rules) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "policy has no [[rule]], [[text.rule]] or [[image.rule]]: it would "
        "allow everything");
  }
  return policy;
}

}  // namespace bulwark::policy

#include "bulwark/redteam/templates.h"

#include <map>

#include "bulwark/core/ascii.h"
#include "bulwark/core/file.h"
#include "bulwark/core/utf8.h"

namespace bulwark::redteam {
namespace {

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

bool IsName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Error LineError(size_t line, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "line " + std::to_string(line) + ": " + what);
}

using Slots = std::map<std::string, std::vector<std::string>, std::less<>>;

// "@name = a | b | c" into `slots`.
Status DefineSlot(std::string_view line, size_t number, Slots& slots) {
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) {
    return LineError(number,
                     "a slot line needs '=' (write '@name = term | term')");
  }
  // No space between '@' and the name, as expand.py wants it.
  const std::string_view name = TrimSpaceTab(line.substr(1, eq - 1));
  if (!IsName(name) || line[1] != name.front()) {
    return LineError(number, "the slot name '" + std::string(name) +
                                 "' is not '@' followed by [a-z_]+");
  }
  if (slots.count(name) != 0) {
    return LineError(number,
                     "slot '" + std::string(name) + "' is defined twice");
  }
  std::vector<std::string> terms;
  std::string_view rest = line.substr(eq + 1);
  for (;;) {
    const size_t bar = rest.find('|');
    const std::string_view term = TrimSpaceTab(rest.substr(0, bar));
    if (term.empty()) {
      return LineError(number,
                       "slot '" + std::string(name) + "' has an empty term");
    }
    if (term.find_first_of("{}") != std::string_view::npos) {
      return LineError(
          number, "a term of slot '" + std::string(name) + "' holds a brace");
    }
    terms.emplace_back(term);
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  slots[std::string(name)] = std::move(terms);
  return Ok{};
}

// A template split into literal text and slot references, alternating:
// pieces[0] literal, pieces[1] a slot name, pieces[2] literal, ...
struct Template {
  std::vector<std::string> pieces;
  std::vector<std::string> slots;  // distinct, in order of first use
};

Result<Template> Parse(std::string_view line, size_t number) {
  Template t;
  std::string literal;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '}') return LineError(number, "unbalanced brace");
    if (line[i] != '{') {
      literal += line[i++];
      continue;
    }
    const size_t close = line.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || line[close] != '}') {
      return LineError(number, "unbalanced brace");
    }
    const std::string name(line.substr(i + 1, close - i - 1));
    if (!IsName(name)) {
      return LineError(number, "bad placeholder '{" + name + "}'");
    }
    t.pieces.push_back(std::move(literal));
    literal.clear();
    t.pieces.push_back(name);
    bool seen = false;
    for (const std::string& s : t.slots) seen = seen || s == name;
    if (!seen) t.slots.push_back(name);
    i = close + 1;
  }
  t.pieces.push_back(std::move(literal));
  return t;
}

}  // namespace

Result<std::vector<std::string>> ExpandTemplates(std::string_view file_text,
                                                 size_t max_prompts) {
  std::vector<std::string> prompts;
  Slots slots;
  size_t number = 0;
  while (!file_text.empty()) {
    ++number;
    const size_t nl = file_text.find('\n');
    std::string_view raw = file_text.substr(0, nl);
    file_text.remove_prefix(nl == std::string_view::npos ? file_text.size()
                                                         : nl + 1);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (!IsValidUtf8(raw)) return LineError(number, "the text is not UTF-8");
    const std::string_view line = TrimSpaceTab(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '@') {
      Status defined = DefineSlot(line, number, slots);
      if (!defined.ok()) return defined.error();
      continue;
    }

    auto parsed = Parse(line, number);
    if (!parsed.ok()) return parsed.error();
    const Template& t = *parsed;
    std::vector<const std::vector<std::string>*> terms;
    size_t combinations = 1;
    for (const std::string& name : t.slots) {
      const auto it = slots.find(name);
      if (it == slots.end()) {
        return LineError(number, "slot {" + name +
                                     "} is not defined (define it above "
                                     "with '@" +
                                     name + " = term | term')");
      }
      terms.push_back(&it->second);
      if (combinations > max_prompts / it->second.size() + 1) {
        combinations = max_prompts + 1;
      } else {
        combinations *= it->second.size();
      }
    }
    if (combinations > max_prompts - prompts.size()) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "line " + std::to_string(number) +
                           ": the templates expand to more than " +
                           std::to_string(max_prompts) + " prompts");
    }
    // An odometer over the slots' terms, the last slot turning fastest.
    std::vector<size_t> pick(terms.size(), 0);
    for (;;) {
      std::string prompt;
      for (size_t p = 0; p < t.pieces.size(); ++p) {
        if (p % 2 == 0) {
          prompt += t.pieces[p];
          continue;
        }
        for (size_t s = 0; s < t.slots.size(); ++s) {
          if (t.slots[s] == t.pieces[p]) prompt += (*terms[s])[pick[s]];
        }
      }
      prompts.push_back(std::move(prompt));
      size_t s = pick.size();
      while (s > 0 && ++pick[s - 1] == terms[s - 1]->size()) {
        pick[--s] = 0;
      }
      if (s == 0) break;
    }
  }
  return prompts;
}

Result<std::vector<std::string>> LoadTemplateFile(const std::string& path) {
  auto bytes = ReadFile(path, 16 << 20);
  if (!bytes.ok()) {
    return MakeError(bytes.error().code, path + ": " + bytes.error().message);
  }
  auto prompts = ExpandTemplates(std::string_view(
      reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!prompts.ok()) {
    return MakeError(prompts.error().code,
                     path + ": " + prompts.error().message);
  }
  return prompts;
}

}  // namespace bulwark::redteam

#include "bulwark/text/lexicon.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <span>

#include "bulwark/core/ascii.h"
#include "bulwark/core/file.h"
#include "bulwark/hash/digest.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {
namespace {

namespace fs = std::filesystem;

// Lexicon files are small; anything bigger is a mistake worth an error.
constexpr uint64_t kMaxFileBytes = 64ull << 20;

// Categories read per language; numbers.txt has its own line format.
constexpr const char* kTermFiles[] = {"minor",       "sexual",  "suggestive",
                                      "coded",       "benign",  "age_units",
                                      "age_markers", "numbers", "common"};

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Error LineError(const std::string& name, size_t line, std::string what) {
  return MakeError(ErrorCode::kInvalidArgument,
                   name + ":" + std::to_string(line) + ": " + what);
}

// Calls fn(line_number, content) for each non-blank, non-comment line.
template <typename Fn>
Status ForEachLine(std::string_view text, Fn fn) {
  size_t number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = TrimSpaceTab(line);
    if (line.empty() || line.front() == '#') continue;
    Status s = fn(number, line);
    if (!s.ok()) return s;
  }
  return Ok{};
}

Status ParseTermFile(std::string_view text, const std::string& language,
                     const std::string& category, Lexicon& lexicon) {
  const std::string name = language + "/" + category + ".txt";
  return ForEachLine(text, [&](size_t number, std::string_view line) -> Status {
    Term term;
    term.category = category;
    term.language = language;
    term.source = name + ":" + std::to_string(number);
    std::string words = CollapseSpaces(line);
    if (category == "numbers") {
      size_t sp = words.rfind(' ');
      if (sp == std::string::npos) {
        return LineError(name, number, "expected WORDS VALUE");
      }
      std::string value = words.substr(sp + 1);
      if (value == "+") {  // a connector inside compounds ("vingt et un")
        term.value = -1;
        words.resize(sp);
      } else if (value.empty() || value.size() > 4 ||
                 !std::all_of(value.begin(), value.end(),
                              [](char c) { return c >= '0' && c <= '9'; })) {
        return LineError(name, number,
                         "value '" + value + "' is not a number or '+'");
      } else {
        term.value = std::stoi(value);
        words.resize(sp);
      }
    }
    if (!words.empty() && words.front() == '?') {
      term.needs_company = true;
      words.erase(0, 1);
    }
    if (!words.empty() && words.back() == '*') {
      term.prefix = true;
      words.pop_back();
    }
    if (words.empty() || words.back() == ' ') {
      return LineError(name, number, "empty term");
    }
    if (words.find('*') != std::string::npos) {
      return LineError(name, number, "'*' is allowed only at the end");
    }
    if (words.find('?') != std::string::npos) {
      return LineError(name, number, "'?' is allowed only at the start");
    }
    term.words = std::move(words);
    lexicon.terms.push_back(std::move(term));
    return Ok{};
  });
}

Result<std::string> ReadText(const fs::path& path) {
  auto bytes = ReadFile(path.string(), kMaxFileBytes);
  if (!bytes.ok()) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

bool IsIndicatorCategory(std::string_view c) {
  return c == "minor" || c == "sexual" || c == "suggestive" || c == "coded";
}

Result<LeetTable> ParseLeetTable(std::string_view text,
                                 const std::string& name) {
  LeetTable table;
  Status s = ForEachLine(text, [&](size_t number, std::string_view line) {
    std::u32string chars = DecodeUtf8(CollapseSpaces(line)).chars;
    // "SYMBOL LETTER [LETTER...]": every field one character; a symbol may
    // be written U+XXXX ('#' must be, as it starts a comment).
    if (chars.size() > 2 && chars[0] == U'U' && chars[1] == U'+') {
      size_t end = chars.find(U' ');
      std::string hex = EncodeUtf8(chars.substr(2, end - 2));
      char* stop = nullptr;
      unsigned long cp = std::strtoul(hex.c_str(), &stop, 16);
      if (hex.empty() || hex.size() > 6 || *stop != '\0' || cp > 0x10FFFF) {
        return Status(LineError(name, number, "bad U+XXXX symbol"));
      }
      chars.replace(0, end, 1, static_cast<char32_t>(cp));
    }
    if (chars.size() < 3 || chars[1] != U' ') {
      return Status(LineError(name, number, "expected SYMBOL LETTER..."));
    }
    std::u32string& letters = table[chars[0]];
    for (size_t i = 2; i < chars.size(); i += 2) {
      char32_t c = chars[i];
      bool last = i + 1 == chars.size();
      if ((!last && chars[i + 1] != U' ') || c < U'a' || c > U'z') {
        return Status(
            LineError(name, number, "candidates must be single letters a-z"));
      }
      if (letters.find(c) == std::u32string::npos) letters.push_back(c);
    }
    return Status(Ok{});
  });
  if (!s.ok()) return s.error();
  return table;
}

Result<Lexicon> LoadLexicon(const std::string& dir,
                            const std::vector<std::string>& languages) {
  Lexicon lexicon;
  // Everything that shapes the compiled patterns goes into the fingerprint.
  std::string fingerprinted;
  auto add_to_fingerprint = [&](const std::string& name,
                                const std::string& text) {
    fingerprinted += name + '\n' + std::to_string(text.size()) + '\n' + text;
  };

  auto leet_text = ReadText(fs::path(dir) / "leet.txt");
  if (!leet_text.ok()) return leet_text.error();
  auto leet = ParseLeetTable(*leet_text, "leet.txt");
  if (!leet.ok()) return leet.error();
  lexicon.leet = std::move(*leet);
  add_to_fingerprint("leet.txt", *leet_text);

  std::set<std::string> seen_languages;
  for (const std::string& language : languages) {
    if (!seen_languages.insert(language).second) continue;
    fs::path lang_dir = fs::path(dir) / language;
    std::error_code ec;
    if (!fs::is_directory(lang_dir, ec)) {
      return MakeError(ErrorCode::kNotFound,
                       "no lexicon for language '" + language + "' in " + dir);
    }
    for (const char* category : kTermFiles) {
      fs::path file = lang_dir / (std::string(category) + ".txt");
      if (!fs::exists(file, ec)) continue;
      auto text = ReadText(file);
      if (!text.ok()) return text.error();
      add_to_fingerprint(language + "/" + category, *text);
      Status s = ParseTermFile(*text, language, category, lexicon);
      if (!s.ok()) return s.error();
    }
  }
  // The same words in the same category once, whichever file said it.
  // A word needing company keeps one copy per language: its company is
  // its own language's.
  std::set<std::tuple<std::string, std::string, bool, int, std::string>> unique;
  std::erase_if(lexicon.terms, [&](const Term& t) {
    return !unique
                .insert({t.category, t.words, t.prefix, t.value,
                         t.needs_company ? t.language : ""})
                .second;
  });

  auto digest = hash::DigestHex(
      hash::DigestAlgorithm::kSha256,
      std::span(reinterpret_cast<const uint8_t*>(fingerprinted.data()),
                fingerprinted.size()));
  if (!digest.ok()) return digest.error();
  lexicon.fingerprint = std::move(*digest);
  return lexicon;
}

}  // namespace bulwark::text

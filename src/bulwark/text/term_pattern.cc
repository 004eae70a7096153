#include "bulwark/text/term_pattern.h"

#include <cstdio>
#include <map>

#include "bulwark/text/text_run.h"

namespace bulwark::text {
namespace {

// Every byte is written as \xHH so no character of a term can be read as
// regex syntax.
void AppendLiteral(char32_t c, std::string& out) {
  for (unsigned char b : EncodeUtf8(std::u32string_view(&c, 1))) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    out += buf;
  }
}

}  // namespace

std::string TermExpression(std::string_view words, const LeetTable& leet) {
  // Inverse of the leet table: letter -> symbols that can stand for it.
  std::map<char32_t, std::u32string> symbols_for;
  for (const auto& [symbol, letters] : leet) {
    for (char32_t letter : letters) symbols_for[letter].push_back(symbol);
  }
  std::string out;
  bool first = true;
  for (char32_t c : DecodeUtf8(words).chars) {
    if (c == U' ') {
      out += "\\x20?";
      continue;
    }
    out += "(?:";
    AppendLiteral(c, out);
    auto it = symbols_for.find(c);
    if (it != symbols_for.end()) {
      for (char32_t symbol : it->second) {
        out += '|';
        AppendLiteral(symbol, out);
      }
    }
    // The first letter does not repeat, so the reported start of a match
    // is exact (Hyperscan reports the leftmost start, which a repeat would
    // move into the word before in "ana"+"apple").
    out += first ? ")" : ")+";
    first = false;
  }
  return out;
}

}  // namespace bulwark::text

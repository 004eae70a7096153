#include "bulwark/text/term_pattern.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "bulwark/text/text_run.h"

namespace bulwark::text {
namespace {

// Every byte is written as \xHH so no character of a term can be read as
// regex syntax.
void AppendLiteral(std::string_view utf8, std::string& out) {
  for (unsigned char b : utf8) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    out += buf;
  }
}

}  // namespace

std::vector<TermElement> TermElements(std::string_view words,
                                      const LeetTable& leet) {
  // Inverse of the leet table: letter -> symbols that can stand for it.
  std::map<char32_t, std::u32string> symbols_for;
  for (const auto& [symbol, letters] : leet) {
    for (char32_t letter : letters) symbols_for[letter].push_back(symbol);
  }
  std::vector<TermElement> out;
  for (char32_t c : DecodeUtf8(words).chars) {
    TermElement e;
    if (c == U' ') {
      e.optional_space = true;
      out.push_back(std::move(e));
      continue;
    }
    e.alternatives.push_back(EncodeUtf8(std::u32string_view(&c, 1)));
    auto it = symbols_for.find(c);
    if (it != symbols_for.end()) {
      for (char32_t symbol : it->second) {
        e.alternatives.push_back(EncodeUtf8(std::u32string_view(&symbol, 1)));
      }
    }
    // The first letter does not repeat, so a match starts where the term's
    // first letter is, not in the word before ("ana"+"apple").
    e.repeat = !out.empty();
    out.push_back(std::move(e));
  }
  return out;
}

std::string TermExpression(const std::vector<TermElement>& elements) {
  std::string out;
  for (const TermElement& e : elements) {
    if (e.optional_space) {
      out += "\\x20?";
      continue;
    }
    out += "(?:";
    for (size_t i = 0; i < e.alternatives.size(); ++i) {
      if (i > 0) out += '|';
      AppendLiteral(e.alternatives[i], out);
    }
    out += e.repeat ? ")+" : ")";
  }
  return out;
}

int64_t LeftmostStart(const std::vector<TermElement>& elements,
                      std::string_view bytes, size_t end) {
  // Positions p such that bytes[p, end) matches the elements from k on,
  // for k from the last element back to the first. Called for every raw
  // match of every scan: the buffers live on per thread so that a call
  // allocates nothing once they have grown.
  thread_local std::vector<size_t> at, next, frontier, fresh;
  at.assign(1, end);
  for (size_t k = elements.size(); k-- > 0;) {
    const TermElement& e = elements[k];
    next.clear();
    if (e.optional_space) {
      for (size_t q : at) {
        next.push_back(q);
        if (q > 0 && bytes[q - 1] == ' ') next.push_back(q - 1);
      }
    } else {
      // Occurrences ending at each position, repeated while allowed.
      frontier = at;
      while (!frontier.empty()) {
        fresh.clear();
        for (size_t q : frontier) {
          for (const std::string& alt : e.alternatives) {
            if (q < alt.size() || bytes[q - 1] != alt.back() ||
                bytes.compare(q - alt.size(), alt.size(), alt) != 0) {
              continue;
            }
            // Only positions not seen yet go round again, so this ends.
            const size_t p = q - alt.size();
            if (std::find(next.begin(), next.end(), p) == next.end()) {
              next.push_back(p);
              fresh.push_back(p);
            }
          }
        }
        if (!e.repeat) break;
        frontier.swap(fresh);
      }
    }
    if (next.empty()) return -1;
    at.swap(next);
  }
  return static_cast<int64_t>(*std::min_element(at.begin(), at.end()));
}

}  // namespace bulwark::text

// Converters that swap letters for other characters one at a time. The
// per-letter ones replace a seeded subset, but always at least one letter,
// so every variant really differs from its seed prompt.
#include <array>
#include <span>

#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {
namespace {

// Replaces each code point for which `candidates(cp)` offers something
// with probability num/den (one of the offers, by seed); if that left the
// text unchanged, the first candidate is replaced anyway.
template <typename Candidates>
std::string ReplaceSome(std::string_view utf8, uint64_t seed, unsigned num,
                        unsigned den, Candidates&& candidates) {
  SeededRandom rng(seed);
  std::vector<char32_t> cps = DecodeUtf8(utf8);
  std::string out;
  out.reserve(utf8.size() * 2);
  bool changed = false;
  size_t first = cps.size();
  std::vector<std::string> pieces(cps.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    std::span<const std::string_view> offers = candidates(cps[i]);
    if (!offers.empty() && first == cps.size()) first = i;
    if (!offers.empty() && rng.Chance(num, den)) {
      pieces[i] = std::string(offers[rng.Below(offers.size())]);
      changed = true;
    } else {
      AppendUtf8(cps[i], pieces[i]);
    }
  }
  if (!changed && first < cps.size()) {
    pieces[first] = std::string(candidates(cps[first])[0]);
  }
  for (const std::string& p : pieces) out += p;
  return out;
}

using Offers = std::span<const std::string_view>;

Offers LeetOffers(char32_t cp) {
  static constexpr std::string_view a[] = {"4", "@"}, b[] = {"8"}, c[] = {"("},
                                    e[] = {"3"}, g[] = {"9", "6"}, h[] = {"#"},
                                    i[] = {"1", "!"}, l[] = {"1", "|"},
                                    o[] = {"0"}, s[] = {"5", "$"},
                                    t[] = {"7", "+"}, z[] = {"2"};
  switch (AsciiLowerCp(cp)) {
    case 'a':
      return a;
    case 'b':
      return b;
    case 'c':
      return c;
    case 'e':
      return e;
    case 'g':
      return g;
    case 'h':
      return h;
    case 'i':
      return i;
    case 'l':
      return l;
    case 'o':
      return o;
    case 's':
      return s;
    case 't':
      return t;
    case 'z':
      return z;
    default:
      return {};
  }
}

// Cyrillic and Greek letters that render like Latin ones in common fonts.
struct Glyph {
  char latin;
  std::string_view lookalike;
};
constexpr Glyph kHomoglyphs[] = {
    {'a', "а"}, {'c', "с"}, {'d', "ԁ"}, {'e', "е"}, {'h', "һ"}, {'i', "і"},
    {'j', "ј"}, {'k', "κ"}, {'l', "ӏ"}, {'o', "о"}, {'p', "р"}, {'q', "ԛ"},
    {'s', "ѕ"}, {'v', "ν"}, {'w', "ԝ"}, {'x', "х"}, {'y', "у"}, {'A', "А"},
    {'B', "В"}, {'C', "С"}, {'E', "Е"}, {'H', "Н"}, {'I', "І"}, {'J', "Ј"},
    {'K', "К"}, {'M', "М"}, {'N', "Ν"}, {'O', "О"}, {'P', "Р"}, {'S', "Ѕ"},
    {'T', "Т"}, {'X', "Х"}, {'Y', "Ү"}, {'Z', "Ζ"},
};

Offers HomoglyphOffers(char32_t cp) {
  for (const Glyph& g : kHomoglyphs) {
    if (static_cast<char32_t>(g.latin) == cp) return Offers(&g.lookalike, 1);
  }
  return {};
}

Offers CaseOffers(char32_t cp) {
  static constexpr std::string_view kLower[] = {
      "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
      "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
  static constexpr std::string_view kUpper[] = {
      "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
      "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"};
  if (cp >= 'a' && cp <= 'z') return Offers(&kUpper[cp - 'a'], 1);
  if (cp >= 'A' && cp <= 'Z') return Offers(&kLower[cp - 'A'], 1);
  return {};
}

// Modifier (superscript) letters; NFKC maps each back to its letter. There
// is no superscript q, so q stays.
constexpr char32_t kSuperscript[26] = {
    0x1D43, 0x1D47, 0x1D9C, 0x1D48, 0x1D49, 0x1DA0, 0x1D4D, 0x02B0, 0x2071,
    0x02B2, 0x1D4F, 0x02E1, 0x1D50, 0x207F, 0x1D52, 0x1D56, 0,      0x02B3,
    0x02E2, 0x1D57, 0x1D58, 0x1D5B, 0x02B7, 0x02E3, 0x02B8, 0x1DBB};
constexpr char32_t kSuperscriptDigits[10] = {0x2070, 0x00B9, 0x00B2, 0x00B3,
                                             0x2074, 0x2075, 0x2076, 0x2077,
                                             0x2078, 0x2079};

}  // namespace

std::string Leetspeak(std::string_view utf8, uint64_t seed) {
  return ReplaceSome(utf8, seed, 4, 5, LeetOffers);
}

std::string Homoglyph(std::string_view utf8, uint64_t seed) {
  return ReplaceSome(utf8, seed, 3, 5, HomoglyphOffers);
}

std::string RandomCaps(std::string_view utf8, uint64_t seed) {
  return ReplaceSome(utf8, seed, 1, 2, CaseOffers);
}

std::string Fullwidth(std::string_view utf8, uint64_t) {
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (cp >= 0x21 && cp <= 0x7E) {
      AppendUtf8(cp + 0xFEE0, out);
    } else if (cp == ' ') {
      AppendUtf8(0x3000, out);  // IDEOGRAPHIC SPACE, fullwidth's space
    } else {
      AppendUtf8(cp, out);
    }
  }
  return out;
}

std::string Superscript(std::string_view utf8, uint64_t) {
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    const char32_t lower = AsciiLowerCp(cp);
    char32_t mapped = 0;
    if (lower >= 'a' && lower <= 'z') mapped = kSuperscript[lower - 'a'];
    if (cp >= '0' && cp <= '9') mapped = kSuperscriptDigits[cp - '0'];
    AppendUtf8(mapped != 0 ? mapped : cp, out);
  }
  return out;
}

}  // namespace bulwark::redteam

// Converters that decorate letters with accents: one per letter (combining
// or precomposed, by seed) or a "zalgo" stack of several.
#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {
namespace {

// Acute, grave, circumflex, tilde, macron, breve, diaeresis, ring, caron,
// cedilla.
constexpr char32_t kAccents[] = {0x0301, 0x0300, 0x0302, 0x0303, 0x0304,
                                 0x0306, 0x0308, 0x030A, 0x030C, 0x0327};

struct Precomposed {
  char letter;
  std::u32string_view forms;
};
constexpr Precomposed kPrecomposed[] = {
    {'a', U"àáâãäåā"}, {'c', U"çćč"}, {'d', U"ď"},    {'e', U"èéêëē"},
    {'g', U"ğ"},       {'h', U"ĥ"},   {'i', U"ìíîï"}, {'j', U"ĵ"},
    {'k', U"ķ"},       {'l', U"ĺ"},   {'n', U"ñń"},   {'o', U"òóôõö"},
    {'r', U"ř"},       {'s', U"śš"},  {'t', U"ť"},    {'u', U"ùúûü"},
    {'w', U"ŵ"},       {'y', U"ýÿ"},  {'z', U"źž"},
};

std::u32string_view PrecomposedFor(char32_t cp) {
  for (const Precomposed& p : kPrecomposed) {
    if (static_cast<char32_t>(p.letter) == cp) return p.forms;
  }
  return {};
}

}  // namespace

std::string Diacritics(std::string_view utf8, uint64_t seed) {
  SeededRandom rng(seed);
  const bool precomposed = rng.Chance(1, 2);
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (!IsAsciiLetter(cp)) {
      AppendUtf8(cp, out);
      continue;
    }
    const std::u32string_view forms =
        precomposed ? PrecomposedFor(cp) : std::u32string_view();
    if (!forms.empty()) {
      AppendUtf8(forms[rng.Below(forms.size())], out);
    } else {
      AppendUtf8(cp, out);
      AppendUtf8(kAccents[rng.Below(std::size(kAccents))], out);
    }
  }
  return out;
}

std::string Zalgo(std::string_view utf8, uint64_t seed) {
  SeededRandom rng(seed);
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    AppendUtf8(cp, out);
    if (!IsWordChar(cp)) continue;
    const size_t marks = 2 + rng.Below(5);  // 2..6
    for (size_t m = 0; m < marks; ++m) {
      AppendUtf8(0x0300 + static_cast<char32_t>(rng.Below(0x70)), out);
    }
  }
  return out;
}

}  // namespace bulwark::redteam

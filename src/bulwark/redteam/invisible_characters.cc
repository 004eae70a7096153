// Converters that hide text in characters a reader never sees: zero-width
// joiners between letters, a payload in Unicode tag characters or
// variation selectors, and storage order reversed under a bidi override.
#include <array>

#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {

std::string ZeroWidth(std::string_view utf8, uint64_t seed) {
  // ZERO WIDTH SPACE, NON-JOINER, JOINER, WORD JOINER.
  static constexpr char32_t kInvisible[] = {0x200B, 0x200C, 0x200D, 0x2060};
  SeededRandom rng(seed);
  const std::vector<char32_t> cps = DecodeUtf8(utf8);
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    AppendUtf8(cps[i], out);
    if (i + 1 < cps.size() && IsWordChar(cps[i]) && IsWordChar(cps[i + 1])) {
      AppendUtf8(kInvisible[rng.Below(std::size(kInvisible))], out);
    }
  }
  return out;
}

std::string TagSmuggling(std::string_view utf8, uint64_t seed) {
  // Either a harmless-looking visible text with the payload after it, or
  // the payload alone (the prompt then looks empty).
  static constexpr std::string_view kDecoys[] = {"hello", "thanks!", "hi there",
                                                 ""};
  SeededRandom rng(seed);
  std::string out(kDecoys[rng.Below(std::size(kDecoys))]);
  for (char32_t cp : DecodeUtf8(utf8)) {
    // Tag characters exist only for printable ASCII; anything else stays
    // as it is (and visible).
    AppendUtf8(cp >= 0x20 && cp <= 0x7E ? 0xE0000 + cp : cp, out);
  }
  return out;
}

std::string VariationSelector(std::string_view utf8, uint64_t seed) {
  static constexpr std::string_view kBases[] = {"🙂", "✨", "a", "*"};
  SeededRandom rng(seed);
  std::string out(kBases[rng.Below(std::size(kBases))]);
  for (char c : utf8) {
    const auto b = static_cast<uint8_t>(c);
    // VS1..VS16 for the first 16 byte values, VS17..VS256 for the rest.
    AppendUtf8(b < 16 ? 0xFE00 + b : 0xE0100 + (b - 16), out);
  }
  return out;
}

std::string BidiReversal(std::string_view utf8, uint64_t) {
  std::vector<char32_t> cps = DecodeUtf8(utf8);
  std::string out;
  AppendUtf8(0x202E, out);  // RIGHT-TO-LEFT OVERRIDE: displays reversed...
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) AppendUtf8(*it, out);
  AppendUtf8(0x202C, out);  // POP DIRECTIONAL FORMATTING
  return out;
}

}  // namespace bulwark::redteam

// Converters that change where the letters and spaces are: separators
// inside words, repeated letters, words split or run together, the whole
// text reversed.
#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {
namespace {

// Puts `sep` between adjacent word characters ("n o d e"); whitespace runs
// between words become `word_gap`, so word boundaries stay visible.
std::string Separate(std::string_view utf8, std::string_view sep,
                     std::string_view word_gap) {
  const std::vector<char32_t> cps = DecodeUtf8(utf8);
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (IsSpaceCp(cps[i]) && cps[i] != '\n') {
      while (i + 1 < cps.size() && IsSpaceCp(cps[i + 1]) && cps[i + 1] != '\n')
        ++i;
      out += word_gap;
      continue;
    }
    AppendUtf8(cps[i], out);
    if (i + 1 < cps.size() && IsWordChar(cps[i]) && IsWordChar(cps[i + 1])) {
      out += sep;
    }
  }
  return out;
}

struct Word {
  size_t begin = 0;  // code point index
  size_t end = 0;
};

std::vector<Word> Words(const std::vector<char32_t>& cps) {
  std::vector<Word> words;
  for (size_t i = 0; i < cps.size();) {
    if (!IsWordChar(cps[i])) {
      ++i;
      continue;
    }
    Word w{i, i};
    while (w.end < cps.size() && IsWordChar(cps[w.end])) ++w.end;
    words.push_back(w);
    i = w.end;
  }
  return words;
}

}  // namespace

std::string Spacing(std::string_view utf8, uint64_t) {
  return Separate(utf8, " ", "   ");
}

std::string Punctuation(std::string_view utf8, uint64_t seed) {
  static constexpr std::string_view kSeparators[] = {".", "-", "_", "*"};
  SeededRandom rng(seed);
  return Separate(utf8, kSeparators[rng.Below(std::size(kSeparators))], " ");
}

std::string RepeatLetters(std::string_view utf8, uint64_t seed) {
  SeededRandom rng(seed);
  const std::vector<char32_t> cps = DecodeUtf8(utf8);
  std::vector<size_t> copies(cps.size(), 1);
  bool changed = false;
  size_t first = cps.size();
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!IsAsciiLetter(cps[i])) continue;
    if (first == cps.size()) first = i;
    if (rng.Chance(1, 3)) {
      copies[i] = 2 + rng.Below(3);  // 2..4 in all
      changed = true;
    }
  }
  if (!changed && first < cps.size()) copies[first] = 2;
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    for (size_t k = 0; k < copies[i]; ++k) AppendUtf8(cps[i], out);
  }
  return out;
}

std::string WordSplit(std::string_view utf8, uint64_t seed) {
  SeededRandom rng(seed);
  const std::vector<char32_t> cps = DecodeUtf8(utf8);
  // The code point indexes a space goes before.
  std::vector<bool> split_before(cps.size() + 1, false);
  bool changed = false;
  const Word* first = nullptr;
  const std::vector<Word> words = Words(cps);
  for (const Word& w : words) {
    const size_t len = w.end - w.begin;
    if (len < 2) continue;
    if (first == nullptr) first = &w;
    if (rng.Chance(1, 2)) {
      split_before[w.begin + 1 + rng.Below(len - 1)] = true;
      changed = true;
    }
  }
  if (!changed && first != nullptr) {
    split_before[first->begin + (first->end - first->begin) / 2] = true;
  }
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (split_before[i]) out += ' ';
    AppendUtf8(cps[i], out);
  }
  return out;
}

std::string WordJoin(std::string_view utf8, uint64_t) {
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    // Line breaks stay: they separate prompts' lines, not words.
    if (IsSpaceCp(cp) && cp != '\n') continue;
    AppendUtf8(cp, out);
  }
  return out;
}

std::string Reversal(std::string_view utf8, uint64_t) {
  std::vector<char32_t> cps = DecodeUtf8(utf8);
  return EncodeUtf8(std::vector<char32_t>(cps.rbegin(), cps.rend()));
}

}  // namespace bulwark::redteam

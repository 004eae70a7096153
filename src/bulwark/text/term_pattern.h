// Turns a normalised lexicon term into the pattern that finds it however
// it was disguised after normalisation:
//   - every letter also accepts each symbol the leet table gives it
//     ("a" -> (?:a|4|@)), so the matcher tries every reading of a symbol;
//   - every letter but the first may repeat ("chiild"; the matcher allows
//     a repeated first letter);
//   - the space between two words may be missing ("mole rat" in
//     "molerat").
// The pattern has no word boundaries: the matcher checks those itself,
// because a term inside a longer word is still evidence in some cases
// (term_matcher.h).
//
// The same elements give the Hyperscan expression, which finds where
// matches end, and LeftmostStart, which finds where a match ending at a
// given byte begins: asking Hyperscan for starts costs about three times
// the scan and ten times the compile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulwark/text/lexicon.h"

namespace bulwark::text {

struct TermElement {
  bool optional_space = false;  // the gap between two words
  bool repeat = false;          // one or more occurrences, else exactly one
  std::vector<std::string> alternatives;  // UTF-8: the letter, its symbols
};

// `words`: UTF-8, words separated by single spaces.
std::vector<TermElement> TermElements(std::string_view words,
                                      const LeetTable& leet);

std::string TermExpression(const std::vector<TermElement>& elements);

// The smallest s such that bytes[s, end) matches the elements, or -1.
int64_t LeftmostStart(const std::vector<TermElement>& elements,
                      std::string_view bytes, size_t end);

}  // namespace bulwark::text

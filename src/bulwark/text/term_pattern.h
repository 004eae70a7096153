// Turns a normalised lexicon term into the Hyperscan expression that finds
// it however it was disguised after normalisation:
//   - every letter also accepts each symbol the leet table gives it
//     ("a" -> (?:a|4|@)), so the matcher tries every reading of a symbol;
//   - every letter but the first may repeat ("chiild"; the matcher allows
//     a repeated first letter);
//   - the space between two words may be missing ("mole rat" in
//     "molerat").
// The expression has no word boundaries: the matcher checks those itself,
// because a term inside a longer word is still evidence in some cases
// (DESIGN: see term_matcher.h).
#pragma once

#include <string>
#include <string_view>

#include "bulwark/text/lexicon.h"

namespace bulwark::text {

// `words`: UTF-8, words separated by single spaces.
std::string TermExpression(std::string_view words, const LeetTable& leet);

}  // namespace bulwark::text

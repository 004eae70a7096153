// The stateless converters as plain functions, grouped by file; the
// registry (converter_registry.cc) names them and wraps them in Converter.
// `seed` here is already mixed with the converter's name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/redteam/converter.h"

namespace bulwark::redteam {

// Letter substitutions (letter_maps.cc).
std::string Leetspeak(std::string_view utf8, uint64_t seed);
std::string Homoglyph(std::string_view utf8, uint64_t seed);
std::string RandomCaps(std::string_view utf8, uint64_t seed);
std::string Fullwidth(std::string_view utf8, uint64_t seed);
std::string Superscript(std::string_view utf8, uint64_t seed);

// Invisible and direction-control characters (invisible_characters.cc).
std::string ZeroWidth(std::string_view utf8, uint64_t seed);
std::string TagSmuggling(std::string_view utf8, uint64_t seed);
std::string VariationSelector(std::string_view utf8, uint64_t seed);
std::string BidiReversal(std::string_view utf8, uint64_t seed);

// Combining marks (combining_marks.cc).
std::string Diacritics(std::string_view utf8, uint64_t seed);
std::string Zalgo(std::string_view utf8, uint64_t seed);

// Spacing and word shape (word_shape.cc).
std::string Spacing(std::string_view utf8, uint64_t seed);
std::string Punctuation(std::string_view utf8, uint64_t seed);
std::string RepeatLetters(std::string_view utf8, uint64_t seed);
std::string WordSplit(std::string_view utf8, uint64_t seed);
std::string WordJoin(std::string_view utf8, uint64_t seed);
std::string Reversal(std::string_view utf8, uint64_t seed);

// Whole-text encodings (encodings.cc).
std::string Base64(std::string_view utf8, uint64_t seed);
std::string Hex(std::string_view utf8, uint64_t seed);
std::string Rot13(std::string_view utf8, uint64_t seed);
std::string UrlEncoding(std::string_view utf8, uint64_t seed);

// Whole-word replacement from lexicon groups (synonym_converter.cc).
std::unique_ptr<Converter> MakeSynonymConverter(
    std::vector<std::vector<std::string>> groups);

}  // namespace bulwark::redteam

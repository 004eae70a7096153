// Lexicons: the words the text safeguard looks for, read from data files
// (data/lexicons/README.md), never compiled in. A lexicon directory holds
// LANG/CATEGORY.txt files (minor, sexual, suggestive, coded, benign,
// age_units, age_markers) plus LANG/numbers.txt ("WORDS VALUE") and one
// leet.txt ("SYMBOL LETTER...") shared by every language.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::text {

struct Term {
  // As written in the file, words separated by single spaces. The pattern
  // compiler normalises them the way the text is normalised ("niño" is
  // looked for as "nino").
  std::string words;
  bool prefix = false;  // "word*": the last word may continue
  // "?word": an ordinary word in another shipped language (German "kind"
  // is English "kind"), so it counts only beside another term of its own
  // language in the same reading of the text.
  bool needs_company = false;
  std::string category;  // file stem: "minor", "sexual", "number", ...
  std::string language;  // "en", ...
  int value = 0;         // numbers.txt only: the number the words name
  std::string source;    // "en/minor.txt:12", for explanations
};

// Which letters a symbol can stand for. Matching tries every candidate
// rather than guessing one ("1" may be "i" or "l").
using LeetTable = std::map<char32_t, std::u32string>;

struct Lexicon {
  std::vector<Term> terms;
  LeetTable leet;
  // SHA-256 (hex) over the files' names and bytes: compiled pattern
  // databases are cached under it.
  std::string fingerprint;
};

// The categories whose terms are evidence on their own account (minor,
// sexual, suggestive, coded); the others help read the text (numbers, age
// units and markers, common words, benign phrases).
bool IsIndicatorCategory(std::string_view category);

// Reads `languages` from `dir`. A missing language directory is kNotFound
// naming it; a missing category file is fine (a language may have no coded
// terms); a malformed line is kInvalidArgument naming file and line.
Result<Lexicon> LoadLexicon(const std::string& dir,
                            const std::vector<std::string>& languages);

// Parses one leet.txt.
Result<LeetTable> ParseLeetTable(std::string_view text,
                                 const std::string& name);

}  // namespace bulwark::text

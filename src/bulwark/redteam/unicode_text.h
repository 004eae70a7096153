// The small amount of Unicode the converters need without ICU: code points
// in and out of UTF-8, and which code points count as letters or word
// characters for deciding where to obfuscate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::redteam {

// Code points of `utf8`; an ill-formed byte becomes U+FFFD.
std::vector<char32_t> DecodeUtf8(std::string_view utf8);

void AppendUtf8(char32_t cp, std::string& out);
std::string EncodeUtf8(const std::vector<char32_t>& cps);

bool IsAsciiLetter(char32_t cp);
char32_t AsciiLowerCp(char32_t cp);

// Part of a word: not whitespace, not ASCII punctuation. Non-ASCII code
// points count, so a word already rewritten by another converter (look-alike
// letters, accents) is still one word.
bool IsWordChar(char32_t cp);
bool IsSpaceCp(char32_t cp);

}  // namespace bulwark::redteam

// Tokens: the words of a normalised view, and the two strings the lexicon
// patterns run over. Word characters are letters, digits and leetspeak
// symbols ("$3x" is one word); everything else separates words, so
// "s.p.a.c.e.d" and "twelve-year-old" fall apart into their pieces.
// Runs of three or more one-character words are joined back ("s p a c e d"
// -> "spaced"), since nobody writes ordinary text that way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/text/lexicon.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

struct Token {
  uint32_t first = 0;  // index of the first character in the view's run
  uint32_t count = 0;  // characters; a joined token lists every piece
  Span original;       // what the user sent for the whole token
  // Joined from one-character pieces: every character is a piece, so a
  // term anywhere inside stands on its own ("a c h i l d").
  bool spelled = false;
};

// A string the patterns scan, with every byte traced back to its token.
struct ScanText {
  std::string bytes;
  // byte_token[i]: the token bytes[i] belongs to, or -1 for a separator.
  std::vector<int32_t> byte_token;
  // token_begin[t], token_end[t]: byte range of token t in `bytes`.
  std::vector<uint32_t> token_begin, token_end;
};

struct Tokenized {
  std::vector<Token> tokens;
  // Which characters of the run the tokens hold, in token order (joined
  // tokens skip the separators between their pieces).
  std::vector<uint32_t> chars;
  ScanText spaced;  // " tok tok tok ": one space between tokens
  ScanText joined;  // " toktoktok ": for words split by spaces
};

// True for characters that can be part of a word: letters, digits and
// symbols the leet table gives letters for.
bool IsWordChar(char32_t c, const LeetTable& leet);

Tokenized Tokenize(const TextRun& run, const LeetTable& leet);

}  // namespace bulwark::text

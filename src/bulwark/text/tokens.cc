#include "bulwark/text/tokens.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>

namespace bulwark::text {
namespace {

// Three one-character words in a row are spelling, not writing.
constexpr size_t kMinJoinedPieces = 3;

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else {
    out += EncodeUtf8(std::u32string_view(&c, 1));
  }
}

void Build(const TextRun& run, const std::vector<Token>& tokens,
           const std::vector<uint32_t>& chars, bool spaces, ScanText& out) {
  out.bytes.reserve(chars.size() * 2 + 2);
  out.byte_token.reserve(chars.size() * 2 + 2);
  out.bytes.push_back(' ');
  out.byte_token.push_back(-1);
  size_t next_char = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    if (spaces && t > 0) {
      out.bytes.push_back(' ');
      out.byte_token.push_back(-1);
    }
    out.token_begin.push_back(static_cast<uint32_t>(out.bytes.size()));
    for (uint32_t k = 0; k < tokens[t].count; ++k) {
      AppendUtf8(run.chars[chars[next_char++]], out.bytes);
      out.byte_token.resize(out.bytes.size(), static_cast<int32_t>(t));
    }
    out.token_end.push_back(static_cast<uint32_t>(out.bytes.size()));
  }
  out.bytes.push_back(' ');
  out.byte_token.push_back(-1);
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// The symbol that spells out chars [begin, end) ("n*u*d*e"), or 0. Bits
// between separators have at most three letters or digits; three or more
// separators make a spelling, two only when each stands between letters or
// digits (in "l!(!t" the '!' is a leet letter), one only between digits.
char32_t SpellingSeparator(const TextRun& run, uint32_t begin, uint32_t end,
                           const LeetTable& leet) {
  if (end - begin < 3) return 0;
  std::map<char32_t, uint32_t> symbols;
  for (uint32_t k = begin; k < end; ++k) {
    char32_t c = run.chars[k];
    if (c < 0x80 && !IsAsciiAlnum(c)) ++symbols[c];
  }
  for (const auto& [sep, count] : symbols) {
    // Bit lengths count runs of one letter once ("nn*u*d*ee" is spelled
    // too); repeated separators ("n**u") make empty bits, which do not
    // count.
    uint32_t bits = 0, longest = 0, shortest = UINT32_MAX, len = 0;
    uint32_t letters = 0;  // run-counted length of the current bit
    bool digits = true, between_alnum = true;
    for (uint32_t k = begin; k <= end; ++k) {
      if (k == end || run.chars[k] == sep) {
        if (len > 0) {
          ++bits;
          shortest = std::min(shortest, letters);
        }
        longest = std::max(longest, len);
        len = 0;
        letters = 0;
        if (k == end) continue;
        for (uint32_t nb : {k - 1, k + 1}) {
          if (nb < begin || nb >= end || run.chars[nb] == sep) continue;
          between_alnum = between_alnum && IsAsciiAlnum(run.chars[nb]);
        }
      } else if (IsAsciiAlnum(run.chars[k])) {
        ++len;
        if (len == 1 || run.chars[k] != run.chars[k - 1]) ++letters;
        digits = digits && run.chars[k] >= U'0' && run.chars[k] <= U'9';
      }
    }
    // A symbol that can also be a letter ("8@n@n4", "b@n@n@") separates
    // only in a strict alternation between single (maybe repeated) letters
    // ("n*u*d*e", "n**u**d", "nn*u*d*ee").
    if (leet.count(sep) != 0) {
      const bool single = shortest == 1 && longest <= 4 && bits >= 2;
      uint32_t widest = 0;  // the most letters in one bit, runs once
      for (uint32_t k = begin, n = 0; k <= end; ++k) {
        if (k == end || run.chars[k] == sep) {
          widest = std::max(widest, n);
          n = 0;
        } else if (IsAsciiAlnum(run.chars[k]) &&
                   (k == begin || run.chars[k] != run.chars[k - 1])) {
          ++n;
        }
      }
      if (count >= 2 && single && widest == 1 && run.chars[begin] != sep &&
          run.chars[end - 1] != sep) {
        return sep;
      }
      continue;
    }
    if (longest > 3) continue;
    if ((count >= 3 && bits >= 4) ||
        (count == 2 && bits == 3 && between_alnum) ||
        (digits && bits >= 2 && between_alnum)) {
      return sep;
    }
  }
  return 0;
}

}  // namespace

bool IsWordChar(char32_t c, const LeetTable& leet) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        (c >= 'A' && c <= 'Z')) {
      return true;
    }
  } else if (u_isalnum(static_cast<UChar32>(c))) {
    return true;
  }
  return leet.count(c) != 0;
}

Tokenized Tokenize(const TextRun& run, const LeetTable& leet) {
  // Pass 1: pieces are maximal runs of word characters, except that a
  // stretch between spaces cut by one repeated symbol into bits of at most
  // three letters ("n*u*d*e", "n-u-d-ep-h-o-t-oo-fa", "1*2") is one piece,
  // spelled out with that symbol as the separator, even when the symbol
  // could stand for a letter elsewhere ('*' for 'o').
  struct Piece {
    uint32_t begin, end;     // character indices [begin, end)
    char32_t separator = 0;  // spelled out with this symbol between bits
  };
  std::vector<Piece> pieces;
  auto is_space = [](char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' ||
           (c >= 0x80 && u_isUWhiteSpace(static_cast<UChar32>(c)));
  };
  for (uint32_t i = 0; i < run.size();) {
    if (!IsWordChar(run.chars[i], leet)) {
      ++i;
      continue;
    }
    uint32_t chunk_end = i;  // the stretch up to the next space
    while (chunk_end < run.size() && !is_space(run.chars[chunk_end])) {
      ++chunk_end;
    }
    while (!IsWordChar(run.chars[chunk_end - 1], leet)) --chunk_end;
    char32_t sep = SpellingSeparator(run, i, chunk_end, leet);
    if (sep != 0) {
      pieces.push_back({i, chunk_end, sep});
      i = chunk_end;
      continue;
    }
    uint32_t j = i;
    while (j < run.size() && IsWordChar(run.chars[j], leet)) ++j;
    pieces.push_back({i, j, 0});
    i = j;
  }

  // Pass 2: join runs of one-character pieces, and drop the separator of a
  // spelled-out piece.
  Tokenized out;
  out.chars.reserve(run.size());
  auto span_of = [&](uint32_t c) { return run.origin[c]; };
  // One letter, or one letter repeated ("nn uu d e"): a spelling bit.
  auto one_letter = [&](const Piece& piece) {
    if (piece.separator != 0) return false;
    for (uint32_t c = piece.begin + 1; c < piece.end; ++c) {
      if (run.chars[c] != run.chars[piece.begin]) return false;
    }
    return piece.end - piece.begin <= 4;
  };
  for (size_t p = 0; p < pieces.size();) {
    size_t q = p;
    while (q < pieces.size() && one_letter(pieces[q])) ++q;
    size_t group_end = q - p >= kMinJoinedPieces ? q : p + 1;
    Token token;
    token.first = pieces[p].begin;
    token.spelled = group_end - p > 1 || pieces[p].separator != 0;
    token.original = span_of(pieces[p].begin);
    for (size_t k = p; k < group_end; ++k) {
      for (uint32_t c = pieces[k].begin; c < pieces[k].end; ++c) {
        if (pieces[k].separator != 0 && (run.chars[c] == pieces[k].separator ||
                                         !IsWordChar(run.chars[c], leet))) {
          continue;
        }
        out.chars.push_back(c);
        token.original.begin = std::min(token.original.begin, span_of(c).begin);
        token.original.end = std::max(token.original.end, span_of(c).end);
        ++token.count;
      }
    }
    if (token.count > 0) out.tokens.push_back(token);
    p = group_end;
  }
  Build(run, out.tokens, out.chars, /*spaces=*/true, out.spaced);
  Build(run, out.tokens, out.chars, /*spaces=*/false, out.joined);
  return out;
}

}  // namespace bulwark::text

#include "bulwark/text/encoded.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "bulwark/core/utf8.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

// Base64 of a two-word prompt is 12 characters. Runs shorter than
// kPlainBase64Chars must also mix upper case with lower case or digits, as
// encoded text does and an ordinary long word does not.
constexpr size_t kMinBase64Chars = 8;
constexpr size_t kPlainBase64Chars = 16;
constexpr size_t kMinHexBytes = 4;

// Stretches of one encoding, joined into a single reading.
class Readings {
 public:
  explicit Readings(const char* how) : how_(how) {}

  void Add(const TextRun& run, size_t begin, size_t end, std::string_view bytes,
           ChangeLog* changes) {
    const Span span = CoverSpan(run, begin, end);
    if (reading_.size() != 0) reading_.Append(U' ', span);
    const size_t before = reading_.size();
    const TextRun decoded = DecodedRun(bytes, span);
    reading_.chars += decoded.chars;
    reading_.origin.insert(reading_.origin.end(), decoded.origin.begin(),
                           decoded.origin.end());
    if (changes) {
      RecordChange(changes, how_, span,
                   std::u32string_view(run.chars).substr(begin, end - begin),
                   std::u32string_view(reading_.chars).substr(before));
    }
  }

  void MoveTo(std::vector<Decoded>* found) {
    if (reading_.size() != 0) found->push_back({how_, std::move(reading_)});
  }

 private:
  const char* how_;
  TextRun reading_;
};

int HexValue(char32_t c) {
  if (IsAsciiDigit(c)) return static_cast<int>(c - U'0');
  const char32_t l = c | 0x20;
  if (l >= U'a' && l <= U'f') return static_cast<int>(l - U'a' + 10);
  return -1;
}

int Base64Value(char32_t c) {
  if (c >= U'A' && c <= U'Z') return static_cast<int>(c - U'A');
  if (c >= U'a' && c <= U'z') return static_cast<int>(c - U'a' + 26);
  if (IsAsciiDigit(c)) return static_cast<int>(c - U'0' + 52);
  if (c == U'+' || c == U'-') return 62;
  if (c == U'/' || c == U'_') return 63;
  return -1;
}

// One look at position i for a stretch of an encoding: where it ends, and
// whether it decoded (into the caller's bytes) to text worth a reading.
struct Stretch {
  size_t end;
  bool decoded;
};

// Walks the run, trying `look(i, bytes)` at each position and going on past
// the stretch it found, decoded or not (retrying from each pair of a
// rejected hex "00 00 00 ..." would make a long input quadratic), or to the
// next position; joins what decoded into one reading.
template <typename Look>
void FindStretches(const TextRun& run, const char* how,
                   std::vector<Decoded>* found, ChangeLog* changes, Look look) {
  Readings readings(how);
  std::string bytes;
  for (size_t i = 0; i < run.chars.size();) {
    const Stretch stretch = look(i, bytes);
    if (stretch.decoded) readings.Add(run, i, stretch.end, bytes, changes);
    i = std::max(stretch.end, i + 1);
  }
  readings.MoveTo(found);
}

void FindBase64(const TextRun& run, std::vector<Decoded>* found,
                ChangeLog* changes) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  auto look = [&](size_t i, std::string& bytes) -> Stretch {
    if (Base64Value(s[i]) < 0) return {i, false};
    size_t end = i;
    while (end < n && Base64Value(s[end]) >= 0) ++end;
    size_t padded = end;
    while (padded < n && padded - end < 2 && s[padded] == U'=') ++padded;
    // Padding counts: "hello world" encodes to exactly 16 with its "=".
    bool mixed = padded - i >= kPlainBase64Chars;
    if (!mixed && padded - i >= kMinBase64Chars) {
      bool upper = false, other = false;
      for (size_t k = i; k < end; ++k) {
        upper = upper || (s[k] >= U'A' && s[k] <= U'Z');
        other = other || (s[k] >= U'a' && s[k] <= U'z') || IsAsciiDigit(s[k]);
      }
      mixed = upper && other;
    }
    if (!mixed) return {padded, false};
    // A trailing sixth of a byte (length 1 mod 4) is no encoder's output;
    // drop it rather than the whole run.
    const size_t len = (end - i) % 4 == 1 ? end - i - 1 : end - i;
    bytes.clear();
    uint32_t bits = 0;
    int nbits = 0;
    for (size_t k = i; k < i + len; ++k) {
      bits = (bits << 6) | static_cast<uint32_t>(Base64Value(s[k]));
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        bytes.push_back(static_cast<char>((bits >> nbits) & 0xFF));
      }
    }
    return {padded, LooksLikeText(bytes, 90)};
  };
  FindStretches(run, "base64", found, changes, look);
}

// Parses hex bytes starting at `i`; returns where they end (i if none).
size_t ParseHex(const std::u32string& s, size_t i, std::string& bytes) {
  const size_t n = s.size();
  size_t pos = i;
  bytes.clear();
  while (true) {
    size_t k = pos;
    if (!bytes.empty() && k < n &&
        (s[k] == U' ' || s[k] == U',' || s[k] == U':')) {
      ++k;
      if (s[k - 1] == U',' && k < n && s[k] == U' ') ++k;
    }
    if (k + 1 < n && (s[k] == U'\\' || s[k] == U'0') &&
        (s[k + 1] == U'x' || s[k + 1] == U'X')) {
      k += 2;
    }
    if (k + 1 >= n) break;
    const int hi = HexValue(s[k]);
    const int lo = HexValue(s[k + 1]);
    if (hi < 0 || lo < 0) break;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
    pos = k + 2;
  }
  return pos;
}

void FindHex(const TextRun& run, std::vector<Decoded>* found,
             ChangeLog* changes) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  auto look = [&](size_t i, std::string& bytes) -> Stretch {
    // Only at the start of a word: hex digits inside "coffee" are not hex.
    const bool starts_word = i == 0 || !IsAsciiAlnum(s[i - 1]);
    if (!starts_word || (HexValue(s[i]) < 0 && s[i] != U'\\')) {
      return {i, false};
    }
    const size_t end = ParseHex(s, i, bytes);
    // ...and up to the end of one: "12345678abc" is not hex either.
    return {end, bytes.size() >= kMinHexBytes &&
                     (end == n || !IsAsciiAlnum(s[end])) &&
                     LooksLikeText(bytes, 100)};
  };
  FindStretches(run, "hex", found, changes, look);
}

// Decoded %XX bytes worth substituting: well-formed and free of controls
// ("%00" and "%0a" tricks are left as typed).
bool IsPlainText(std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return false;
  for (char b : bytes) {
    const auto u = static_cast<unsigned char>(b);
    if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F) {
      return false;
    }
  }
  return true;
}

void FindPercent(const TextRun& run, std::vector<Decoded>* found,
                 ChangeLog* changes) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  auto escape_at = [&](size_t k) {
    return k + 2 < n && s[k] == U'%' && HexValue(s[k + 1]) >= 0 &&
           HexValue(s[k + 2]) >= 0;
  };
  size_t first = 0;
  while (first < n && !escape_at(first)) ++first;
  if (first == n) return;

  TextRun view = CopyPrefix(run, first);
  bool decoded_any = false;
  std::string bytes;
  for (size_t i = first; i < n;) {
    if (!escape_at(i)) {
      view.Append(s[i], run.origin[i]);
      ++i;
      continue;
    }
    size_t end = i;
    bytes.clear();
    for (; escape_at(end); end += 3) {
      bytes.push_back(
          static_cast<char>(HexValue(s[end + 1]) * 16 + HexValue(s[end + 2])));
    }
    if (!IsPlainText(bytes)) {
      for (size_t k = i; k < end; ++k) view.Append(s[k], run.origin[k]);
      i = end;
      continue;
    }
    decoded_any = true;
    const size_t before = view.size();
    // Each decoded character points at the escapes that held its bytes.
    const TextRun text = DecodeUtf8(bytes);
    for (size_t k = 0; k < text.size(); ++k) {
      const Span b = text.origin[k];
      view.Append(text.chars[k],
                  CoverSpan(run, i + 3 * b.begin, i + 3 * b.end));
    }
    if (changes) {
      RecordChange(changes, "url", CoverSpan(run, i, end),
                   std::u32string_view(s).substr(i, end - i),
                   std::u32string_view(view.chars).substr(before));
    }
    i = end;
  }
  if (decoded_any) found->push_back({"url", std::move(view)});
}

// A separator a spacing or punctuation obfuscation puts between characters.
bool IsSeparator(char32_t c) {
  return c == U' ' || c == U'.' || c == U'-' || c == U'_' || c == U'*';
}

bool IsBase64Char(char32_t c) {
  return IsAsciiAlnum(c) || c == U'+' || c == U'/' || c == U'=';
}

// Whether `run` holds anything an encoding obfuscated after encoding could
// have left: a '%', a stretch of base64 characters mixing letters with
// digits or with inner capitals, or single characters strung out on one
// separator ("b n V k", "6.8.6.5"). Plain prose has none of these, and
// skips the tolerant readings.
bool MightHoldEncoding(const TextRun& run) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  size_t strung = 0;  // single alphanumerics one separator apart, in a row
  for (size_t i = 0; i < n;) {
    const char32_t c = s[i];
    if (c == U'%') return true;
    if (!IsBase64Char(c)) {
      if (i + 1 < n && !IsAsciiAlnum(s[i + 1])) strung = 0;
      ++i;
      continue;
    }
    size_t end = i;
    bool digit = false, letter = false, lower = false, inner_upper = false;
    size_t alnum_in_row = 0, max_alnum_in_row = 0;
    for (; end < n && IsBase64Char(s[end]); ++end) {
      const char32_t d = s[end];
      digit = digit || IsAsciiDigit(d);
      letter = letter || IsAsciiAlpha(d);
      lower = lower || (d >= U'a' && d <= U'z');
      inner_upper = inner_upper || (end > i && d >= U'A' && d <= U'Z');
      alnum_in_row = IsAsciiAlnum(d) ? alnum_in_row + 1 : 0;
      max_alnum_in_row = std::max(max_alnum_in_row, alnum_in_row);
    }
    if (end - i >= 6 && ((digit && letter) || (inner_upper && lower))) {
      return true;
    }
    strung = max_alnum_in_row == 1 ? strung + 1 : 0;
    if (strung >= 8) return true;
    i = end;
  }
  return false;
}

// A token is "strung out" when no two ASCII alphanumerics in it touch:
// what is left of an encoded stretch once a separator went between every
// pair of word characters ("b", "v+Y", "8%6").
bool StrungOut(const std::u32string& s, size_t begin, size_t end) {
  for (size_t k = begin + 1; k < end; ++k) {
    if (IsAsciiAlnum(s[k - 1]) && IsAsciiAlnum(s[k])) return false;
  }
  return true;
}

// A piece of an encoded word split by a space: base64 characters mixing
// letters with digits, or with capitals inside.
bool LooksEncoded(const std::u32string& s, size_t begin, size_t end) {
  if (end - begin < 5) return false;
  bool digit = false, letter = false, lower = false, inner_upper = false;
  for (size_t k = begin; k < end; ++k) {
    const char32_t d = s[k];
    if (!IsBase64Char(d)) return false;
    digit = digit || IsAsciiDigit(d);
    letter = letter || IsAsciiAlpha(d);
    lower = lower || (d >= U'a' && d <= U'z');
    inner_upper = inner_upper || (k > begin && d >= U'A' && d <= U'Z');
  }
  return (digit && letter) || (inner_upper && lower);
}

bool AllBase64(const std::u32string& s, size_t begin, size_t end) {
  for (size_t k = begin; k < end; ++k) {
    if (!IsBase64Char(s[k])) return false;
  }
  return true;
}

// `run` without the separators an obfuscation put inside encoded text:
//  - between the single characters of a strung-out stretch of at least
//    six tokens on one separator ("b n V k Z S", "6.8.6.5", "%6 8%6 5");
//  - after the first digit of a %XX escape ("%4 8" from a split word);
//  - the one space a word split put inside an encoded word, where a piece
//    next to it looks encoded ("bnVkZSBw b3J0").
// Returns false when there was nothing to remove.
bool JoinSeparated(const TextRun& run, TextRun& out) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  std::vector<bool> drop(n, false);
  bool any = false;
  for (size_t i = 2; i + 1 < n; ++i) {
    if (IsSeparator(s[i]) && s[i - 2] == U'%' && HexValue(s[i - 1]) >= 0 &&
        HexValue(s[i + 1]) >= 0) {
      drop[i] = any = true;
    }
  }
  for (const char32_t sep : {U' ', U'.', U'-', U'_', U'*'}) {
    // Tokens: maximal stretches of neither white space nor `sep`.
    struct Token {
      size_t begin, end;
    };
    std::vector<Token> chain;  // tokens one `sep` apart
    auto flush = [&] {
      if (chain.size() >= 6) {
        bool strung = true;
        for (const Token& t : chain)
          strung = strung && StrungOut(s, t.begin, t.end);
        if (strung) {
          for (size_t t = 0; t + 1 < chain.size(); ++t) {
            drop[chain[t].end] = any = true;
          }
        }
      }
      if (sep == U' ') {
        for (size_t t = 0; t + 1 < chain.size(); ++t) {
          const Token& a = chain[t];
          const Token& b = chain[t + 1];
          if (s[a.end - 1] != U'=' && AllBase64(s, a.begin, a.end) &&
              AllBase64(s, b.begin, b.end) &&
              (LooksEncoded(s, a.begin, a.end) ||
               LooksEncoded(s, b.begin, b.end))) {
            drop[a.end] = any = true;
          }
        }
      }
      chain.clear();
    };
    bool present = false;
    for (char32_t c : s) present = present || c == sep;
    if (!present) continue;
    for (size_t i = 0; i < n;) {
      if (IsAsciiSpace(s[i]) || s[i] == sep) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < n && !IsAsciiSpace(s[end]) && s[end] != sep) ++end;
      // One `sep` since the last token continues the chain.
      if (!chain.empty() && !(chain.back().end + 1 == i && s[i - 1] == sep)) {
        flush();
      }
      chain.push_back(Token{i, end});
      i = end;
    }
    flush();
  }
  if (!any) return false;
  out = TextRun();
  out.chars.reserve(n);
  out.origin.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!drop[i]) out.Append(s[i], run.origin[i]);
  }
  return true;
}

// `run` with each run of one repeated ASCII letter cut to one letter. The
// hex digits of ASCII text never put two letters side by side (a letter
// can only be a byte's low digit), nor does %-encoding, so a repeat there
// is an obfuscation. Returns false when nothing repeats.
bool SqueezeLetters(const TextRun& run, TextRun& out) {
  const std::u32string& s = run.chars;
  const size_t n = s.size();
  bool any = false;
  for (size_t i = 1; i < n && !any; ++i) {
    any = IsAsciiAlpha(s[i]) && s[i] == s[i - 1];
  }
  if (!any) return false;
  out = TextRun();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && IsAsciiAlpha(s[i]) && s[i] == s[i - 1]) continue;
    out.Append(s[i], run.origin[i]);
  }
  return true;
}

}  // namespace

void FindEncoded(const TextRun& run, std::vector<Decoded>* found,
                 ChangeLog* changes) {
  FindBase64(run, found, changes);
  FindHex(run, found, changes);
  FindPercent(run, found, changes);
}

void FindEncodedTolerant(const TextRun& run, std::vector<Decoded>* found,
                         ChangeLog* changes) {
  const size_t first = found->size();
  FindEncoded(run, found, changes);
  if (!MightHoldEncoding(run)) return;
  // Names for what each reading decoded: variant, then encoding.
  static constexpr const char* kNames[4][3] = {
      {"reversed>base64", "reversed>hex", "reversed>url"},
      {"rot13>base64", "rot13>hex", "rot13>url"},
      {"joined>base64", "joined>hex", "joined>url"},
      {"squeezed>base64", "squeezed>hex", "squeezed>url"},
  };
  std::vector<Decoded> more;
  auto read = [&](const TextRun& variant, int which) {
    more.clear();
    if (which == 3) {  // base64 is case sensitive and may repeat letters
      FindHex(variant, &more, changes);
      FindPercent(variant, &more, changes);
    } else {
      FindEncoded(variant, &more, changes);
    }
    for (Decoded& d : more) {
      bool seen = false;
      for (size_t k = first; k < found->size() && !seen; ++k) {
        seen = (*found)[k].run.chars == d.run.chars;
      }
      if (seen) continue;
      const int kind = std::strcmp(d.how, "base64") == 0 ? 0
                       : std::strcmp(d.how, "hex") == 0  ? 1
                                                         : 2;
      d.how = kNames[which][kind];
      found->push_back(std::move(d));
    }
  };
  read(Reversed(run), 0);
  read(Rot13(run), 1);
  TextRun other;
  if (JoinSeparated(run, other)) read(other, 2);
  if (SqueezeLetters(run, other)) read(other, 3);
}

TextRun Rot13(const TextRun& run) {
  TextRun out = run;
  for (char32_t& c : out.chars) {
    if (c >= U'a' && c <= U'z') {
      c = U'a' + (c - U'a' + 13) % 26;
    } else if (c >= U'A' && c <= U'Z') {
      c = U'A' + (c - U'A' + 13) % 26;
    }
  }
  return out;
}

TextRun Reversed(const TextRun& run) {
  TextRun out;
  out.chars.assign(run.chars.rbegin(), run.chars.rend());
  out.origin.assign(run.origin.rbegin(), run.origin.rend());
  return out;
}

}  // namespace bulwark::text

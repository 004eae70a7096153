#include "bulwark/redteam/unicode_text.h"

#include "bulwark/core/utf8.h"

namespace bulwark::redteam {

std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    const auto b = [&](size_t k) {
      return static_cast<char32_t>(static_cast<uint8_t>(s[i + k]));
    };
    char32_t cp = len == 1   ? b(0)
                  : len == 2 ? b(0) & 0x1F
                  : len == 3 ? b(0) & 0x0F
                             : b(0) & 0x07;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (b(k) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string EncodeUtf8(const std::vector<char32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t cp : cps) AppendUtf8(cp, out);
  return out;
}

bool IsAsciiLetter(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

char32_t AsciiLowerCp(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
}

bool IsSpaceCp(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0xA0 || cp == 0x3000;
}

bool IsWordChar(char32_t cp) {
  if (IsSpaceCp(cp)) return false;
  if (cp < 0x80) {
    return IsAsciiLetter(cp) || (cp >= '0' && cp <= '9') || cp == '\'';
  }
  return true;
}

}  // namespace bulwark::redteam

#include "bulwark/redteam/display_text.h"

#include <cstdio>

#include "bulwark/core/utf8.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {
namespace {

bool Invisible(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
         cp == 0x034F || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFFE ||
         cp == 0xFFFF || (cp >= 0xE0000 && cp <= 0xE01EF);
}

}  // namespace

std::string VisibleText(std::string_view utf8) {
  std::string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (!Invisible(cp)) {
      AppendUtf8(cp, out);
      continue;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
    out += buf;
  }
  return out;
}

std::string ValidUtf8(std::string_view utf8) {
  if (IsValidUtf8(utf8)) return std::string(utf8);
  return EncodeUtf8(DecodeUtf8(utf8));
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", fraction * 100.0);
  return buf;
}

}  // namespace bulwark::redteam

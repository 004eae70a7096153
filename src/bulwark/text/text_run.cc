#include "bulwark/text/text_run.h"

#include "bulwark/core/utf8.h"

namespace bulwark::text {

TextRun DecodeUtf8(std::string_view utf8) {
  TextRun run;
  run.chars.reserve(utf8.size());
  run.origin.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    size_t n = Utf8SequenceLength(utf8, i);
    auto b = static_cast<unsigned char>(utf8[i]);
    char32_t c;
    if (n == 0) {
      c = 0xFFFD;
      n = 1;
    } else if (n == 1) {
      c = b;
    } else {
      c = b & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k) {
        c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
      }
    }
    run.Append(c, Span{static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)});
    i += n;
  }
  return run;
}

std::string EncodeUtf8(std::u32string_view chars) {
  std::string out;
  out.reserve(chars.size());
  for (char32_t c : chars) {
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;  // not encodable
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c <= 0x10FFFF) {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out += "\xEF\xBF\xBD";
    }
  }
  return out;
}

}  // namespace bulwark::text

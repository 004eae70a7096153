// Text as code points that remember which bytes of the original input they
// came from. Every normalisation step maps a TextRun to a TextRun, so a rule
// that fires on the normalised text can still point at what the user sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::text {

// Byte offsets [begin, end) into the original UTF-8 input.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

struct TextRun {
  std::u32string chars;
  // origin[i] is the input range chars[i] came from; always chars.size()
  // long. A character a step produced from several input characters covers
  // all of them; several characters produced from one share its span.
  std::vector<Span> origin;

  void Append(char32_t c, Span from) {
    chars.push_back(c);
    origin.push_back(from);
  }
  size_t size() const { return chars.size(); }
};

// Ill-formed bytes become U+FFFD, one per byte, each with its own span.
TextRun DecodeUtf8(std::string_view utf8);
std::string EncodeUtf8(std::u32string_view chars);

// What a step changed, for explanations ("removed U+200B at bytes 12..15").
struct Change {
  std::string step;  // the step's name: "invisible", "confusable", ...
  Span original;
  std::string from;  // UTF-8, as it was before the step
  std::string to;    // UTF-8, as the step left it ("" when removed)
};
using ChangeLog = std::vector<Change>;

}  // namespace bulwark::text

#include "bulwark/text/step_util.h"

#include <unicode/uchar.h>

#include "bulwark/core/utf8.h"

namespace bulwark::text {

Span CoverSpan(const TextRun& run, size_t begin, size_t end) {
  Span s = run.origin[begin];
  for (size_t i = begin + 1; i < end; ++i) s = Union(s, run.origin[i]);
  return s;
}

TextRun CopyPrefix(const TextRun& run, size_t keep) {
  TextRun out;
  const size_t room = run.size() + run.size() / 8 + 16;
  out.chars.reserve(room);
  out.origin.reserve(room);
  out.chars.assign(run.chars.begin(), run.chars.begin() + keep);
  out.origin.assign(run.origin.begin(), run.origin.begin() + keep);
  return out;
}

void RecordChange(ChangeLog* changes, std::string_view step, Span original,
                  std::u32string_view from, std::u32string_view to) {
  changes->push_back(
      Change{std::string(step), original, EncodeUtf8(from), EncodeUtf8(to)});
}

bool LooksLikeText(std::string_view bytes, int min_printable_percent) {
  if (bytes.empty() || !IsValidUtf8(bytes)) return false;
  const TextRun run = DecodeUtf8(bytes);
  size_t printable = 0;
  bool letter = false;
  for (char32_t c : run.chars) {
    const bool control = (c < 0x20 && c != U'\t' && c != U'\n' && c != U'\r') ||
                         (c >= 0x7F && c < 0xA0);
    if (!control) ++printable;
    // A hidden payload (tag characters, variation selectors) inside
    // decoded text counts as text: the next round decodes it.
    if (IsAsciiAlpha(c) || (c >= 0x80 && u_isalpha(static_cast<UChar32>(c))) ||
        (c >= 0xE0020 && c <= 0xE007E) || (c >= 0xE0100 && c <= 0xE01EF) ||
        (c >= 0xFE00 && c <= 0xFE0F)) {
      letter = true;
    }
  }
  return letter && printable * 100 >= run.size() * min_printable_percent;
}

TextRun DecodedRun(std::string_view bytes, Span from) {
  TextRun run = DecodeUtf8(bytes);
  for (Span& s : run.origin) s = from;
  return run;
}

}  // namespace bulwark::text

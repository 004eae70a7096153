// Helpers the normalisation steps share (internal to text/). Every step
// edits a TextRun in place and keeps origin[] in step with chars[]; most
// prompts are plain ASCII, so a step first scans for something to do and
// only rebuilds the run, with one allocation, when it finds it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "bulwark/text/text_run.h"

namespace bulwark::text {

inline Span Union(Span a, Span b) {
  return Span{std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

// The input bytes that chars [begin, end) of `run` came from; begin < end.
Span CoverSpan(const TextRun& run, size_t begin, size_t end);

// A new run holding the first `keep` characters of `run`, with room for the
// rest to grow a little (decompositions and transliterations can expand).
TextRun CopyPrefix(const TextRun& run, size_t keep);

// Appends a Change. Callers test `changes` first, so that the fast path
// (no explanation asked for) never encodes anything.
void RecordChange(ChangeLog* changes, std::string_view step, Span original,
                  std::u32string_view from, std::u32string_view to);

// Whether decoded bytes read as text rather than binary noise: well-formed
// UTF-8 with at least one letter, and at least `min_printable_percent` of
// its characters printable (controls other than tab and newlines are not).
// Tag characters and variation selectors count as letters: a payload
// hidden in them is text the next decoding round reads.
// A base64 or hex decoder that kept noise would add views the matcher can
// only misread.
bool LooksLikeText(std::string_view bytes, int min_printable_percent);

// Decoded bytes as a run whose characters all point at `from`, the encoded
// stretch they came from.
TextRun DecodedRun(std::string_view bytes, Span from);

inline bool IsAsciiAlpha(char32_t c) {
  return (c | 0x20) >= U'a' && (c | 0x20) <= U'z';
}
inline bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool IsAsciiAlnum(char32_t c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c);
}
inline bool IsAsciiSpace(char32_t c) {
  return c == U' ' || (c >= U'\t' && c <= U'\r');
}
inline char32_t AsciiToLower(char32_t c) {
  return (c >= U'A' && c <= U'Z') ? c + 32 : c;
}

}  // namespace bulwark::text

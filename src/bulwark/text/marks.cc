#include "bulwark/text/marks.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <string>

#include "bulwark/text/icu_util.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

// Below U+00C0 nothing decomposes canonically and nothing is a mark.
constexpr char32_t kFirstInteresting = 0xC0;

bool IsMark(char32_t c) {
  const int8_t type = u_charType(static_cast<UChar32>(c));
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

UScriptCode ScriptOf(char32_t c) {
  if (c < 0x80) return IsAsciiAlpha(c) ? USCRIPT_LATIN : USCRIPT_COMMON;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &status);
  return U_SUCCESS(status) ? s : USCRIPT_UNKNOWN;
}

bool Droppable(char32_t mark, UScriptCode base) {
  const UScriptCode s = ScriptOf(mark);
  return s == USCRIPT_INHERITED || s == USCRIPT_COMMON || s != base;
}

}  // namespace

void StripMarks(const icu::Normalizer2& nfd, TextRun& run, ChangeLog* changes) {
  const size_t n = run.size();
  size_t first = 0;
  while (first < n && run.chars[first] < kFirstInteresting) ++first;
  if (first == n) return;

  TextRun out = CopyPrefix(run, first);
  UScriptCode base =
      first > 0 ? ScriptOf(run.chars[first - 1]) : USCRIPT_COMMON;
  icu::UnicodeString decomposition;
  std::u32string dropped;  // explain only
  for (size_t i = first; i < n; ++i) {
    const char32_t c = run.chars[i];
    const Span span = run.origin[i];
    if (c < kFirstInteresting) {
      out.Append(c, span);
      base = ScriptOf(c);
      continue;
    }
    if (IsMark(c)) {
      if (Droppable(c, base)) {
        if (changes) RecordChange(changes, "marks", span, {&c, 1}, U"");
      } else {
        out.Append(c, span);
      }
      continue;
    }
    // Decompose only when the decomposition holds a droppable mark: Hangul
    // syllables and other mark-free decompositions stay whole.
    bool has_droppable = false;
    if (nfd.getDecomposition(static_cast<UChar32>(c), decomposition)) {
      UScriptCode b = base;
      ForEachCodePoint(decomposition, [&](char32_t d) {
        if (!IsMark(d)) {
          b = ScriptOf(d);
        } else if (Droppable(d, b)) {
          has_droppable = true;
        }
      });
    }
    if (!has_droppable) {
      out.Append(c, span);
      base = ScriptOf(c);
      continue;
    }
    const size_t before = out.size();
    ForEachCodePoint(decomposition, [&](char32_t d) {
      if (!IsMark(d)) {
        out.Append(d, span);
        base = ScriptOf(d);
      } else if (!Droppable(d, base)) {
        out.Append(d, span);
      }
    });
    if (changes) {
      RecordChange(changes, "marks", span, {&c, 1},
                   std::u32string_view(out.chars).substr(before));
    }
  }
  run = std::move(out);
}

}  // namespace bulwark::text

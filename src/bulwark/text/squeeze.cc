#include "bulwark/text/squeeze.h"

#include <unicode/uchar.h>

#include <string>

#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

bool IsLetter(char32_t c) {
  return c < 0x80 ? IsAsciiAlpha(c) : u_isalpha(static_cast<UChar32>(c));
}

}  // namespace

void SqueezeRepeats(TextRun& run, ChangeLog* changes) {
  const size_t n = run.size();
  size_t kept = 0;
  for (size_t i = 0; i < n;) {
    const char32_t c = run.chars[i];
    size_t end = i + 1;
    while (end < n && run.chars[end] == c) ++end;
    const size_t keep = (end - i >= 3 && IsLetter(c)) ? 2 : end - i;
    if (keep == end - i) {
      // In place: the write position never passes the read position.
      for (size_t k = 0; k < keep; ++k) {
        run.chars[kept + k] = c;
        run.origin[kept + k] = run.origin[i + k];
      }
    } else {
      const Span first = run.origin[i];
      const Span rest = CoverSpan(run, i + 1, end);
      if (changes) {
        RecordChange(changes, "squeeze", Union(first, rest),
                     std::u32string(end - i, c), std::u32string(2, c));
      }
      run.chars[kept] = c;
      run.origin[kept] = first;
      run.chars[kept + 1] = c;
      run.origin[kept + 1] = rest;
    }
    kept += keep;
    i = end;
  }
  run.chars.resize(kept);
  run.origin.resize(kept);
}

}  // namespace bulwark::text

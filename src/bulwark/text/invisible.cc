#include "bulwark/text/invisible.h"

#include <unicode/uchar.h>

#include "bulwark/text/step_util.h"

namespace bulwark::text {

bool IsInvisible(char32_t c) {
  // No ASCII character is default-ignorable; this keeps ICU off the common
  // path. The property covers U+00AD, U+061C, U+180E, U+200B..200F,
  // U+202A..202E, U+2060..206F, U+FEFF, variation selectors, tag characters
  // and the Hangul fillers.
  return c >= 0x80 && u_hasBinaryProperty(static_cast<UChar32>(c),
                                          UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

void RemoveInvisible(TextRun& run, ChangeLog* changes) {
  const size_t n = run.size();
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    const char32_t c = run.chars[i];
    if (IsInvisible(c)) {
      if (changes)
        RecordChange(changes, "invisible", run.origin[i], {&c, 1}, U"");
      continue;
    }
    // Compacting in place: no allocation, and nothing moves until the first
    // invisible character.
    if (kept != i) {
      run.chars[kept] = c;
      run.origin[kept] = run.origin[i];
    }
    ++kept;
  }
  run.chars.resize(kept);
  run.origin.resize(kept);
}

}  // namespace bulwark::text

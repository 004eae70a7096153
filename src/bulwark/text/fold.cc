#include "bulwark/text/fold.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "bulwark/text/icu_util.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

// A compatibility decomposition can bring back a generic mark (U+00A8
// DIAERESIS is a space and U+0308); the marks step already ran, so drop it
// here the same way.
bool IsGenericMark(char32_t c) {
  const int8_t type = u_charType(static_cast<UChar32>(c));
  if (type != U_NON_SPACING_MARK && type != U_ENCLOSING_MARK) return false;
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &status) ==
         USCRIPT_INHERITED;
}

}  // namespace

namespace {

void Fold(const icu::Normalizer2& nfkc_cf, bool lower, TextRun& run,
          ChangeLog* changes) {
  auto to_lower = [lower](char32_t c) { return lower ? AsciiToLower(c) : c; };
  const size_t n = run.size();
  size_t first = 0;
  for (; first < n; ++first) {
    const char32_t c = run.chars[first];
    if (c >= 0x80 && !nfkc_cf.isInert(static_cast<UChar32>(c))) break;
    run.chars[first] = to_lower(c);
  }
  if (first == n) return;

  TextRun out = CopyPrefix(run, first);
  for (size_t i = first; i < n; ++i) {
    const char32_t c = run.chars[i];
    const Span span = run.origin[i];
    if (c < 0x80 || nfkc_cf.isInert(static_cast<UChar32>(c))) {
      out.Append(to_lower(c), span);
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString folded =
        nfkc_cf.normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status)) {
      out.Append(c, span);
      continue;
    }
    const size_t before = out.size();
    ForEachCodePoint(folded, [&](char32_t f) {
      if (!IsGenericMark(f)) out.Append(f, span);
    });
    const std::u32string_view to =
        std::u32string_view(out.chars).substr(before);
    if (changes && !(to.size() == 1 && to[0] == c)) {
      RecordChange(changes, "fold", span, {&c, 1}, to);
    }
  }
  run = std::move(out);
}

}  // namespace

void FoldCase(const icu::Normalizer2& nfkc_cf, TextRun& run,
              ChangeLog* changes) {
  Fold(nfkc_cf, true, run, changes);
}

void FoldCompat(const icu::Normalizer2& nfkc, TextRun& run) {
  Fold(nfkc, false, run, nullptr);
}

}  // namespace bulwark::text

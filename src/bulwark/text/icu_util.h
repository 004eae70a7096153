// The few ICU conversions the normalisation steps need (internal to text/).
#pragma once

#include <unicode/unistr.h>
#include <unicode/utf16.h>

namespace bulwark::text {

// Calls f(code point) for each code point of `s`, in order.
template <typename F>
void ForEachCodePoint(const icu::UnicodeString& s, F f) {
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    f(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
}

}  // namespace bulwark::text

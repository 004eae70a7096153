// Step 5: letters from other scripts. A Cyrillic "а" or a Greek "ο" in an
// otherwise Latin word looks the same to a reader and different to a
// matcher; a whole word typed in Greek or Cyrillic says the same thing as
// its Latin spelling.
//
// Per whitespace-delimited word holding non-ASCII letters:
//  - if it mixes Latin with another script, or every non-Latin letter is a
//    look-alike of one ASCII letter, each non-Latin letter becomes its TR39
//    confusable skeleton (ICU uspoof), lowercased;
//  - whatever is still non-ASCII and not Common or Inherited script (a
//    Greek word, Latin letters such as "ø" or "æ") is transliterated with
//    ICU's "Any-Latin; Latin-ASCII".
// Only non-ASCII characters are ever mapped: ASCII digits in particular
// stay as typed, since ages such as "12" must reach the matcher intact.
#pragma once

#include <unicode/translit.h>
#include <unicode/uspoof.h>

#include <memory>
#include <mutex>

#include "bulwark/core/result.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

class ConfusableMapper {
 public:
  // kInternal if ICU lacks the confusables data or the transliterator.
  static Result<std::unique_ptr<ConfusableMapper>> Create();
  ~ConfusableMapper();
  ConfusableMapper(const ConfusableMapper&) = delete;
  ConfusableMapper& operator=(const ConfusableMapper&) = delete;

  // Thread-safe. Mapped characters keep the span of the character they
  // replace; a transliterated stretch keeps per-character spans when its
  // characters transliterate one by one to the same result, and otherwise
  // every output character covers the whole stretch.
  void Apply(TextRun& run, ChangeLog* changes) const;

  // For the case-preserving copy encoded-text detection reads: each
  // non-ASCII letter whose skeleton is one ASCII letter becomes that letter
  // in the letter's own case (Cyrillic "А" an "A", "а" an "a"). Thread-safe;
  // logs nothing.
  void MapKeepingCase(TextRun& run) const;

  // Runs before case folding: an upper-case look-alike whose lower-case
  // form looks like another letter (Greek "Ν" passes for "N", but its
  // "ν" for "v") becomes the ASCII letter it passes for, so folding does
  // not lose it. Thread-safe; logged as "confusable".
  void MapUpperLookalikes(TextRun& run, ChangeLog* changes) const;

 private:
  ConfusableMapper(USpoofChecker* spoof,
                   std::unique_ptr<icu::Transliterator> to_ascii);
  // The skeleton of one character, or an empty string if ICU has none.
  icu::UnicodeString Skeleton(char32_t c) const;
  void Transliterate(const TextRun& run, size_t begin, size_t end, TextRun& out,
                     ChangeLog* changes) const;
  void MapWord(const TextRun& run, size_t begin, size_t end, TextRun& out,
               ChangeLog* changes) const;

  // uspoof's skeleton functions take a const checker and are documented
  // thread-safe; an ICU Transliterator keeps mutable state while it runs,
  // so concurrent Apply calls take turns on it. Only non-Latin words get
  // there, which keeps the lock off the common path.
  USpoofChecker* spoof_;
  std::unique_ptr<icu::Transliterator> to_ascii_;
  mutable std::mutex to_ascii_mu_;
};

}  // namespace bulwark::text

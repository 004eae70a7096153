#include "bulwark/text/confusables.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <string>
#include <vector>

#include "bulwark/text/icu_util.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

constexpr size_t kMaxAlignedStretch = 32;
// ICU's Any-Latin slows down more than linearly on long unspaced text (a
// 64 KB Chinese prompt took 240 ms whole); pieces of this many characters
// keep it linear and lose context only at the cuts.
constexpr size_t kMaxStretch = 64;

enum class Kind {
  kAscii,
  kNeutral,  // Common or Inherited script: punctuation, symbols, emoji
  kLatin,    // non-ASCII Latin letter
  kForeign,  // a letter of another script
};

Kind KindOf(char32_t c) {
  if (c < 0x80) return Kind::kAscii;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &status);
  if (U_FAILURE(status) || s == USCRIPT_COMMON || s == USCRIPT_INHERITED ||
      s == USCRIPT_UNKNOWN) {
    return Kind::kNeutral;
  }
  return s == USCRIPT_LATIN ? Kind::kLatin : Kind::kForeign;
}

bool IsWordBreak(char32_t c) {
  return IsAsciiSpace(c) ||
         (c >= 0x80 && u_isUWhiteSpace(static_cast<UChar32>(c)));
}

bool IsAscii(const icu::UnicodeString& s) {
  for (int32_t i = 0; i < s.length(); ++i) {
    if (s.charAt(i) >= 0x80) return false;
  }
  return true;
}

bool IsSingleAsciiLetter(const icu::UnicodeString& s) {
  return s.length() == 1 && IsAsciiAlpha(s.charAt(0));
}

// Look-alikes whose TR39 skeleton is not the letter they pass for: Greek
// kappa has none, and Cyrillic palochka's is "i" though it stands for "l".
char32_t LookalikeOverride(char32_t c) {
  switch (c) {
    case 0x03BA:  // GREEK SMALL LETTER KAPPA
      return U'k';
    case 0x039A:  // GREEK CAPITAL LETTER KAPPA
      return U'K';
    case 0x04CF:  // CYRILLIC SMALL LETTER PALOCHKA
      return U'l';
    case 0x04C0:  // CYRILLIC LETTER PALOCHKA
      return U'I';
    default:
      return 0;
  }
}

}  // namespace

Result<std::unique_ptr<ConfusableMapper>> ConfusableMapper::Create() {
  UErrorCode status = U_ZERO_ERROR;
  USpoofChecker* spoof = uspoof_open(&status);
  if (U_FAILURE(status)) {
    return MakeError(ErrorCode::kInternal,
                     std::string("ICU confusables data unavailable: ") +
                         u_errorName(status));
  }
  std::unique_ptr<icu::Transliterator> to_ascii(
      icu::Transliterator::createInstance("Any-Latin; Latin-ASCII",
                                          UTRANS_FORWARD, status));
  if (U_FAILURE(status) || to_ascii == nullptr) {
    uspoof_close(spoof);
    return MakeError(
        ErrorCode::kInternal,
        std::string("ICU transliterator unavailable: ") + u_errorName(status));
  }
  return std::unique_ptr<ConfusableMapper>(
      new ConfusableMapper(spoof, std::move(to_ascii)));
}

ConfusableMapper::ConfusableMapper(
    USpoofChecker* spoof, std::unique_ptr<icu::Transliterator> to_ascii)
    : spoof_(spoof), to_ascii_(std::move(to_ascii)) {}

ConfusableMapper::~ConfusableMapper() { uspoof_close(spoof_); }

icu::UnicodeString ConfusableMapper::Skeleton(char32_t c) const {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString skeleton;
  uspoof_getSkeletonUnicodeString(spoof_, 0,
                                  icu::UnicodeString(static_cast<UChar32>(c)),
                                  skeleton, &status);
  if (U_FAILURE(status)) skeleton.remove();
  return skeleton;
}

void ConfusableMapper::Transliterate(const TextRun& run, size_t begin,
                                     size_t end, TextRun& out,
                                     ChangeLog* changes) const {
  icu::UnicodeString whole;
  for (size_t k = begin; k < end; ++k) {
    whole.append(static_cast<UChar32>(run.chars[k]));
  }
  icu::UnicodeString joined;  // the characters transliterated one by one
  // Per-character spans are worth a second pass only for word-sized
  // stretches: a long unspaced run (Chinese, Japanese) rarely aligns, and
  // Any-Latin is slow enough there that the second pass would double it.
  bool aligned = end - begin > 1 && end - begin <= kMaxAlignedStretch;
  std::vector<int32_t> ends;  // where each character's part ends in joined
  {
    std::lock_guard<std::mutex> lock(to_ascii_mu_);
    if (aligned) {
      for (size_t k = begin; k < end; ++k) {
        icu::UnicodeString one(static_cast<UChar32>(run.chars[k]));
        to_ascii_->transliterate(one);
        joined.append(one);
        ends.push_back(joined.length());
      }
    }
    to_ascii_->transliterate(whole);
  }
  aligned = aligned && joined == whole;

  const size_t before = out.size();
  const Span cover = CoverSpan(run, begin, end);
  size_t part = 0;
  for (int32_t i = 0; i < whole.length();) {
    const UChar32 c = whole.char32At(i);
    while (aligned && i >= ends[part]) ++part;
    out.Append(AsciiToLower(static_cast<char32_t>(c)),
               aligned ? run.origin[begin + part] : cover);
    i += U16_LENGTH(c);
  }
  if (changes) {
    RecordChange(changes, "transliterate", cover,
                 std::u32string_view(run.chars).substr(begin, end - begin),
                 std::u32string_view(out.chars).substr(before));
  }
}

void ConfusableMapper::MapWord(const TextRun& run, size_t begin, size_t end,
                               TextRun& out, ChangeLog* changes) const {
  bool has_latin = false;
  bool has_foreign = false;
  bool all_single = true;  // every foreign letter looks like one ASCII letter
  for (size_t k = begin; k < end; ++k) {
    const char32_t c = run.chars[k];
    switch (KindOf(c)) {
      case Kind::kAscii:
        has_latin = has_latin || IsAsciiAlpha(c);
        break;
      case Kind::kLatin:
        has_latin = true;
        break;
      case Kind::kForeign:
        has_foreign = true;
        all_single = all_single && (LookalikeOverride(c) != 0 ||
                                    IsSingleAsciiLetter(Skeleton(c)));
        break;
      case Kind::kNeutral:
        break;
    }
  }
  const bool use_skeleton = has_foreign && (has_latin || all_single);

  for (size_t k = begin; k < end;) {
    const char32_t c = run.chars[k];
    const Kind kind = KindOf(c);
    if (kind == Kind::kAscii || kind == Kind::kNeutral) {
      out.Append(c, run.origin[k]);
      ++k;
      continue;
    }
    if (kind == Kind::kForeign && use_skeleton) {
      icu::UnicodeString skeleton;
      if (const char32_t o = LookalikeOverride(c); o != 0) {
        skeleton = icu::UnicodeString(static_cast<UChar32>(o));
      } else {
        skeleton = Skeleton(c);
        // Skeletons merge "I" into "l"; an upper-case look-alike meant "I".
        if (skeleton.length() == 1 && skeleton.charAt(0) == u'l' &&
            u_isupper(static_cast<UChar32>(c))) {
          skeleton = icu::UnicodeString(u'I');
        }
      }
      if (!skeleton.isEmpty() && IsAscii(skeleton)) {
        const size_t before = out.size();
        for (int32_t i = 0; i < skeleton.length(); ++i) {
          out.Append(AsciiToLower(skeleton.charAt(i)), run.origin[k]);
        }
        if (changes) {
          RecordChange(changes, "confusable", run.origin[k], {&c, 1},
                       std::u32string_view(out.chars).substr(before));
        }
        ++k;
        continue;
      }
    }
    // A stretch of letters that still need transliteration.
    size_t stretch_end = k + 1;
    while (stretch_end < end && stretch_end - k < kMaxStretch) {
      const Kind next = KindOf(run.chars[stretch_end]);
      if (next == Kind::kAscii || next == Kind::kNeutral) break;
      if (next == Kind::kForeign && use_skeleton) break;
      ++stretch_end;
    }
    Transliterate(run, k, stretch_end, out, changes);
    k = stretch_end;
  }
}

void ConfusableMapper::Apply(TextRun& run, ChangeLog* changes) const {
  const size_t n = run.size();
  size_t first = 0;
  while (first < n && run.chars[first] < 0x80) ++first;
  if (first == n) return;
  size_t word = first;
  while (word > 0 && !IsWordBreak(run.chars[word - 1])) --word;

  TextRun out = CopyPrefix(run, word);
  for (size_t i = word; i < n;) {
    if (IsWordBreak(run.chars[i])) {
      out.Append(run.chars[i], run.origin[i]);
      ++i;
      continue;
    }
    size_t end = i;
    bool ascii = true;
    for (; end < n && !IsWordBreak(run.chars[end]); ++end) {
      ascii = ascii && run.chars[end] < 0x80;
    }
    if (ascii) {
      for (size_t k = i; k < end; ++k) out.Append(run.chars[k], run.origin[k]);
    } else {
      MapWord(run, i, end, out, changes);
    }
    i = end;
  }
  run = std::move(out);
}

void ConfusableMapper::MapKeepingCase(TextRun& run) const {
  for (char32_t& c : run.chars) {
    if (c < 0x80 || !u_isalpha(static_cast<UChar32>(c))) continue;
    if (const char32_t o = LookalikeOverride(c); o != 0) {
      c = o;
      continue;
    }
    const icu::UnicodeString skeleton = Skeleton(c);
    if (!IsSingleAsciiLetter(skeleton)) continue;
    const char32_t lower = AsciiToLower(skeleton.charAt(0));
    if (u_isupper(static_cast<UChar32>(c))) {
      // Skeletons merge "I" into "l"; an upper-case look-alike meant "I".
      c = lower == U'l' ? U'I' : lower - 32;
    } else if (u_islower(static_cast<UChar32>(c))) {
      c = lower;
    } else {
      c = skeleton.charAt(0);
    }
  }
}

void ConfusableMapper::MapUpperLookalikes(TextRun& run,
                                          ChangeLog* changes) const {
  for (size_t i = 0; i < run.size(); ++i) {
    const char32_t c = run.chars[i];
    if (c < 0x80 || !u_isupper(static_cast<UChar32>(c)) ||
        KindOf(c) != Kind::kForeign) {
      continue;
    }
    TextRun one;
    one.Append(c, run.origin[i]);
    MapKeepingCase(one);
    const char32_t upper = one.chars[0];
    if (upper >= 0x80) continue;
    const auto lower_c =
        static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    one.chars[0] = lower_c;
    MapKeepingCase(one);
    if (one.chars[0] == AsciiToLower(upper)) continue;
    if (changes) {
      RecordChange(changes, "confusable", run.origin[i], {&c, 1}, {&upper, 1});
    }
    run.chars[i] = upper;
  }
}

}  // namespace bulwark::text

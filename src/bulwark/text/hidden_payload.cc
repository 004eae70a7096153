#include "bulwark/text/hidden_payload.h"

#include <unicode/uchar.h>

#include <string>
#include <vector>

#include "bulwark/text/invisible.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {
namespace {

bool IsTag(char32_t c) { return c >= 0xE0000 && c <= 0xE007F; }

bool IsVariationSelector(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// The byte a variation selector stands for in the smuggling scheme.
char SelectorByte(char32_t c) {
  return static_cast<char>(c <= 0xFE0F ? c - 0xFE00 : c - 0xE0100 + 16);
}

bool IsMark(char32_t c) {
  if (c < 0x300) return false;
  const int8_t type = u_charType(static_cast<UChar32>(c));
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Characters an obfuscation can interleave with a hidden payload without
// changing what it carries: other invisible characters and combining marks.
bool IsFiller(char32_t c) {
  return c >= 0x80 && !IsTag(c) && !IsVariationSelector(c) &&
         (IsInvisible(c) || IsMark(c));
}

// A separator a spacing or punctuation obfuscation puts between characters.
bool IsSeparator(char32_t c) {
  return c == U' ' || c == U'.' || c == U'-' || c == U'_' || c == U'*';
}

// Visible non-ASCII characters other than white space: what a tag smuggler
// has to leave in the clear (tag characters shadow only printable ASCII),
// such as look-alike or accented letters between the tagged ones.
bool IsVisibleNonAscii(char32_t c) {
  return c >= 0x80 && !IsTag(c) && !IsVariationSelector(c) && !IsFiller(c) &&
         !u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool InTagRegion(char32_t c) {
  return IsTag(c) || IsVisibleNonAscii(c) || IsFiller(c);
}

void JoinWithSpace(TextRun& into, Span next) {
  if (into.size() != 0) into.Append(U' ', next);
}

}  // namespace

void ExtractHiddenPayloads(TextRun& run, std::vector<Decoded>* found,
                           ChangeLog* changes) {
  const size_t n = run.size();
  size_t first = 0;
  while (first < n && !IsTag(run.chars[first]) &&
         !IsVariationSelector(run.chars[first])) {
    ++first;
  }
  if (first == n) return;

  TextRun out = CopyPrefix(run, first);
  TextRun tags;
  TextRun wide;  // tags with the visible letters just before each region
  bool wide_differs = false;
  TextRun selectors;
  size_t region_floor = 0;  // a tag region never reaches back before this
  std::string bytes;
  std::vector<size_t> carriers;  // where each selector byte came from
  for (size_t i = first; i < n;) {
    const char32_t c = run.chars[i];
    if (IsTag(c)) {
      // The region: tag characters with the visible non-ASCII characters
      // and fillers between and around them, which the smuggler could not
      // hide. Those before the first tag are already in `out` and stay.
      size_t begin = i;
      while (begin > region_floor && InTagRegion(run.chars[begin - 1]) &&
             !IsVariationSelector(run.chars[begin - 1])) {
        --begin;
      }
      size_t end = i;
      while (end < n && InTagRegion(run.chars[end])) ++end;
      const Span span = CoverSpan(run, begin, end);
      JoinWithSpace(tags, span);
      JoinWithSpace(wide, span);
      // What comes before the first tag may be the payload's first letters
      // or a decoy text: only the second reading has them.
      for (size_t k = begin; k < i; ++k)
        wide.Append(run.chars[k], run.origin[k]);
      wide_differs = wide_differs || begin < i;
      const size_t kept_before = out.size();
      for (size_t k = i; k < end; ++k) {
        const char32_t t = run.chars[k];
        if (IsTag(t)) {
          // U+E0001 (language tag) and U+E007F (cancel tag) carry nothing.
          if (t >= 0xE0020 && t <= 0xE007E) {
            tags.Append(t - 0xE0000, run.origin[k]);
            wide.Append(t - 0xE0000, run.origin[k]);
          }
          continue;
        }
        tags.Append(t, run.origin[k]);
        wide.Append(t, run.origin[k]);
        out.Append(t, run.origin[k]);
      }
      if (changes) {
        RecordChange(changes, "tags", CoverSpan(run, i, end),
                     std::u32string_view(run.chars).substr(i, end - i),
                     std::u32string_view(out.chars).substr(kept_before));
      }
      region_floor = end;
      i = end;
      continue;
    }
    if (IsVariationSelector(c)) {
      // The run goes on across fillers and single separators put between
      // the selectors (zero-width, zalgo, spacing, punctuation).
      bytes.clear();
      carriers.clear();
      size_t end = i;
      while (end < n && IsVariationSelector(run.chars[end])) {
        bytes.push_back(SelectorByte(run.chars[end]));
        carriers.push_back(end);
        size_t k = end + 1;
        while (k < n && IsFiller(run.chars[k])) ++k;
        if (k < n && IsSeparator(run.chars[k])) {
          ++k;
          while (k < n && IsFiller(run.chars[k])) ++k;
        }
        end = (k < n && IsVariationSelector(run.chars[k])) ? k : end + 1;
      }
      if (!LooksLikeText(bytes, 90)) {
        for (size_t k = i; k < end; ++k)
          out.Append(run.chars[k], run.origin[k]);
        i = end;
        continue;
      }
      const Span span = CoverSpan(run, i, end);
      JoinWithSpace(selectors, span);
      // Each decoded character points at the selectors holding its bytes.
      const TextRun text = DecodeUtf8(bytes);
      for (size_t k = 0; k < text.size(); ++k) {
        const Span b = text.origin[k];
        selectors.Append(text.chars[k], CoverSpan(run, carriers[b.begin],
                                                  carriers[b.end - 1] + 1));
      }
      if (changes) {
        RecordChange(changes, "variation-selectors", span,
                     std::u32string_view(run.chars).substr(i, end - i), U"");
      }
      region_floor = end;
      i = end;
      continue;
    }
    out.Append(c, run.origin[i]);
    ++i;
  }
  run = std::move(out);
  if (found == nullptr) return;
  if (tags.size() != 0) found->push_back(Decoded{"tags", std::move(tags)});
  if (wide_differs) found->push_back(Decoded{"tags-wide", std::move(wide)});
  if (selectors.size() != 0) {
    found->push_back(Decoded{"variation-selectors", std::move(selectors)});
  }
}

}  // namespace bulwark::text

// The normalisation pipeline against obfuscation (issue 6): turns a prompt
// into the views the lexicon matcher reads. Character-level steps, in order:
//   1. hidden payloads: Unicode tag characters (U+E0020..E007E) and
//      variation-selector smuggling are decoded into views of their own
//      before anything drops them (a selector run goes on across invisible
//      characters, marks and single separators; the visible non-ASCII
//      letters a tag smuggler could not hide join the "tags" view);
//   2. invisible characters (zero-width, bidi controls, other default-
//      ignorable code points) removed;
//   3. combining marks stripped after canonical decomposition (accents,
//      "zalgo" stacks);
//   4. NFKC with full case folding (ICU): fullwidth, mathematical and
//      superscript forms become plain letters and digits (an upper-case
//      look-alike whose lower case looks like another letter, Greek "Ν",
//      is mapped to its ASCII letter first);
//   5. confusables: a non-ASCII letter in a word mixed with Latin, or in a
//      word made only of look-alikes, becomes its TR39 skeleton (ICU
//      uspoof); other non-Latin words are transliterated to Latin;
//   6. runs of three or more identical letters squeezed to two.
// Embedded encodings are decoded into further views and normalised the same
// way, up to max_decode_depth: base64, hex, %-encoding, and always the
// rot13 and reversed readings of the main text. Encodings are looked for
// in a case-preserving copy (steps 1-3, NFKC without folding, look-alikes
// mapped in their own case) and, when it holds something encoded-looking,
// in that copy's reversed, rot13, separator-free and (hex, %) repeat-free
// readings too ("reversed>base64", "rot13>hex", "joined>url", ...); decoded
// views are searched for hidden payloads again.
// Some texts get further readings of the main text, after the decoded
// views and while room is left: "rot13-ascii" (only letters typed as ASCII
// rotated, when some were not), "rot13>reversed" (unless the text reads as
// English prose) and "split" (a space where ASCII and fullwidth touch).
// Token-level work (separators, leetspeak, numbers, ages) belongs to the
// matcher, which sees every view.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

struct NormalizerLimits {
  size_t max_input_bytes = 64 * 1024;  // longer input: kLimitExceeded
  int max_decode_depth = 2;  // decoded views of decoded views, at most
  size_t max_views = 32;     // every view costs a matcher pass
};

struct View {
  // How this view was obtained, outermost first, joined by '>': "text",
  // "tags", "tags-wide", "variation-selectors", "base64", "hex", "url",
  // "rot13", "reversed", "rot13-ascii", "rot13>reversed", "split",
  // "reversed>base64", "joined>hex", "base64>rot13", "base64>tags", ...
  std::string how;
  // Normalised text. Spans point into the original input; a decoded view's
  // characters all point at the encoded stretch they came from.
  TextRun run;
};

struct Normalized {
  // views[0] is always "text", then (if max_views allows) its "rot13" and
  // "reversed" readings, then decoded views breadth first, then the main
  // text's further readings, then the decoded views' rot13 and reversed
  // readings while room is left.
  std::vector<View> views;
  ChangeLog changes;  // filled only when asked to explain
};

class Normalizer {
 public:
  // Builds the ICU objects once; kInternal if ICU cannot provide them.
  static Result<Normalizer> Create(NormalizerLimits limits = {});
  ~Normalizer();
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;

  // Thread-safe. kLimitExceeded for input over max_input_bytes. Ill-formed
  // UTF-8 is not an error: it becomes U+FFFD and the rest is checked.
  Result<Normalized> Run(std::string_view utf8, bool explain) const;

 private:
  struct Impl;
  explicit Normalizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::text

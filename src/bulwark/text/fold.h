// Step 4: compatibility forms and case. NFKC with full case folding (ICU's
// NFKC_Casefold), one character at a time so that every output character
// keeps the span of the character it came from: fullwidth letters,
// mathematical alphanumerics, superscripts, ligatures, circled and
// parenthesised letters become plain lowercase letters and digits, and
// odd spaces become U+0020.
#pragma once

#include <unicode/normalizer2.h>

#include "bulwark/text/text_run.h"

namespace bulwark::text {

// `nfkc_cf` is ICU's NFKC_Casefold instance. ASCII never reaches ICU: A-Z
// are lowered here, and those changes are not logged (every prompt has
// capitals; an explanation listing them would bury the changes that
// matter).
void FoldCase(const icu::Normalizer2& nfkc_cf, TextRun& run,
              ChangeLog* changes);

// The same with `nfkc`, ICU's plain NFKC instance, and no case change: the
// case-preserving copy encoded-text detection reads (base64 is case
// sensitive, and a fullwidth "Ａ" must stay an "A"). Logs nothing.
void FoldCompat(const icu::Normalizer2& nfkc, TextRun& run);

}  // namespace bulwark::text

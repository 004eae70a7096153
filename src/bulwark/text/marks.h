// Step 3: combining marks. Accents ("héllo") and "zalgo" stacks of dozens of
// marks on each letter leave a word readable to people and unreadable to a
// matcher. Characters are canonically decomposed and their nonspacing and
// enclosing marks (Mn, Me) dropped.
//
// Marks that belong to the script of the letter they sit on (Devanagari
// vowel signs, Hebrew points) are kept: they are spelling, not decoration,
// and the transliteration step needs them. Generic marks (script Inherited
// or Common) and marks of a script other than their base's are dropped.
#pragma once

#include <unicode/normalizer2.h>

#include "bulwark/text/text_run.h"

namespace bulwark::text {

// `nfd` is ICU's NFD instance. Letters keep their own spans; dropped marks
// are logged as changes of the character that carried them.
void StripMarks(const icu::Normalizer2& nfd, TextRun& run, ChangeLog* changes);

}  // namespace bulwark::text

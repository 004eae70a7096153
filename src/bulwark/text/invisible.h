// Step 2: characters that render as nothing. Zero-width spaces and joiners,
// word joiners, the byte-order mark, soft hyphens, bidi embeddings,
// overrides, isolates and marks, Hangul fillers and every other
// Default_Ignorable_Code_Point: dropped between the letters of a word they
// hide it from a matcher while the reader still sees the word.
#pragma once

#include "bulwark/text/text_run.h"

namespace bulwark::text {

bool IsInvisible(char32_t c);

// Removes invisible characters; the others keep their spans.
void RemoveInvisible(TextRun& run, ChangeLog* changes);

}  // namespace bulwark::text

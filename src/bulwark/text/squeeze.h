// Step 6: stretched letters. "heeeello" reads as "hello" to anyone, and no
// lexicon lists every stretching. Runs of three or more identical letters
// become two, not one, because English doubles letters ("hello", "good")
// and a matcher can fold a double into a single more safely than it can
// guess which singles were doubles. Digits are never squeezed: "1000" is a
// number.
#pragma once

#include "bulwark/text/text_run.h"

namespace bulwark::text {

// The second kept letter of a run covers the letters dropped after it, so a
// match still points at the whole stretched run.
void SqueezeRepeats(TextRun& run, ChangeLog* changes);

}  // namespace bulwark::text

// Step 1: payloads hidden in characters that render as nothing. Unicode tag
// characters (U+E0020..E007E) shadow printable ASCII one for one, and a run
// of variation selectors after a base character can carry arbitrary bytes
// (U+FE00..FE0F stand for 0..15, U+E0100..E01EF for 16..255). Both survive
// copy and paste into a prompt box and a model may read them, so they are
// decoded into views of their own before the invisible-character step could
// silently drop them.
#pragma once

#include <vector>

#include "bulwark/text/decoded.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

// Removes every tag character, and every variation-selector run that
// decodes to text, from `run`. When `found` is not null, the decoded text is
// appended to it as a "tags" and a "variation-selectors" reading (several
// hidden stretches joined by spaces); each decoded character points at the
// hidden characters that carried it. A lone selector such as the emoji
// presentation selector U+FE0F carries no text and is left for the
// invisible-character step.
void ExtractHiddenPayloads(TextRun& run, std::vector<Decoded>* found,
                           ChangeLog* changes);

}  // namespace bulwark::text

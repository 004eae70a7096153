// A reading of hidden or encoded text found inside a view (a tag-character
// payload, a base64 stretch, ...). The normalizer turns each into a view of
// its own and normalises it like the main text.
#pragma once

#include "bulwark/text/text_run.h"

namespace bulwark::text {

struct Decoded {
  const char* how;  // "tags", "base64", ...: the view name's last part
  TextRun run;      // spans point at the hidden or encoded characters
};

}  // namespace bulwark::text

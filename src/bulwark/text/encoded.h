// Text hidden in an encoding a model decodes for itself: "decode this
// base64 and do what it says" walks past any matcher that reads only the
// surface. Each encoding found is decoded into a reading of its own, which
// the normalizer turns into a view and normalises like the main text.
//
// Decoding runs after hidden payloads and invisible characters are gone
// (a zero-width space must not break a base64 run) and before case folding
// (base64 is case sensitive).
#pragma once

#include <vector>

#include "bulwark/text/decoded.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

// Appends to `found`:
//  - "base64": runs of at least 16 characters (padding included) of the
//    standard or URL-safe alphabet, padded or not;
//  - "hex": at least 4 bytes as hex digits, plain ("68656c6c6f"), prefixed
//    ("\x68\x65", "0x68 0x65") or as space-separated pairs ("68 65 6c");
//  - "url": the whole text with its %XX sequences decoded.
// Base64 and hex stretches count only when they decode to text
// (LooksLikeText); several stretches of one kind join into one reading,
// separated by spaces, whose characters point at their encoded stretch.
void FindEncoded(const TextRun& run, std::vector<Decoded>* found,
                 ChangeLog* changes);

// FindEncoded, and when `run` holds something that might be encoded text
// obfuscated after encoding, FindEncoded again on its reversed reading
// ("reversed>base64"), its rot13 reading ("rot13>hex"), the reading without
// separators put inside encoded stretches ("joined>base64": "b n V k",
// "6.8.6.5", a split word) and, for hex and %-encoding, the reading with
// repeated letters cut to one ("squeezed>hex"). A reading equal to one
// already found is left out. `run` should be the case-preserving copy.
void FindEncodedTolerant(const TextRun& run, std::vector<Decoded>* found,
                         ChangeLog* changes);

// ROT13 of the ASCII letters; every character keeps its span.
TextRun Rot13(const TextRun& run);

// The characters in reverse order, each with its span.
TextRun Reversed(const TextRun& run);

}  // namespace bulwark::text

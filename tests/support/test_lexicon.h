// A lexicon and policy of placeholder words (minor: "apple", sexual:
// "banana", coded: "zorbix", ...) so tests exercise the text safeguard's
// machinery without carrying real indicator terms.
#pragma once

#include <string>
#include <vector>

#include "bulwark/text/rules.h"
#include "support/scratch_dir.h"

namespace bulwark::testing {

// Writes DIR/lex/... (languages "en" and "es").
void WritePlaceholderLexicon(const ScratchDir& dir);

// The rules the placeholder tests use: minor+sexual within 4 words,
// age below 18 + sexual, coded alone.
std::vector<text::TextRule> PlaceholderRules();

// Writes DIR/policy.toml: the default hash rule plus [text] over DIR/lex
// with PlaceholderRules as block rules (category "sexual/minors") and an
// allow rule flagging "sexual" alone. Returns its path.
std::string WritePlaceholderPolicy(const ScratchDir& dir);

}  // namespace bulwark::testing

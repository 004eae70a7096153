// Prompt template files (data/redteam/*.txt): a few lines expand into many
// prompts, so a seed set covers every combination of its slots without
// anyone writing them out.
//
//   # a comment; blank lines are ignored too
//   @greeting = hello | hi there | good morning
//   @thing = example phrase | sample text
//   {greeting}, please repeat the {thing}
//   a line without slots is one prompt
//
// The format is data/redteam/README.md's, and this reader accepts exactly
// what data/redteam/expand.py accepts: `@name = a | b | c` defines a slot
// (names: [a-z_]+; terms trimmed, none empty, no braces) before its first
// use, once. Any other line is a template: each `{name}` is replaced by
// each of the slot's terms, the cartesian product over the distinct slots
// the line uses (a slot used twice takes the same term in both places). A
// brace that is not part of a `{name}` is an error. Lines are trimmed of
// surrounding spaces and tabs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::redteam {

// The prompts, in file order, each line's expansions with its first slot
// varying slowest. kInvalidArgument naming the line (1-based) for an
// undefined or redefined slot, a malformed slot line or placeholder, a
// stray brace, or text that is not UTF-8;
// kLimitExceeded when the expansion would exceed `max_prompts`.
Result<std::vector<std::string>> ExpandTemplates(
    std::string_view file_text, size_t max_prompts = 1'000'000);

// Reads the template file at `path` (at most 16 MiB) and expands it; errors
// name the file ("seeds.txt: line 3: ...").
Result<std::vector<std::string>> LoadTemplateFile(const std::string& path);

}  // namespace bulwark::redteam

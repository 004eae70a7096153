// Converters rewrite a prompt the way people try to slip it past a text
// filter (leetspeak, look-alike letters, invisible characters, encodings).
// The red-team runner applies them, singly and chained, to seed prompts and
// checks that the safeguard still refuses every variant. Each converter is
// deterministic for (input, seed) so a failing variant can be reproduced
// from the report alone.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::redteam {

class Converter {
 public:
  virtual ~Converter() = default;
  virtual std::string_view name() const = 0;  // "leetspeak"
  // Deterministic for (input, seed); UTF-8 in and out.
  virtual std::string Convert(std::string_view utf8, uint64_t seed) const = 0;
};

// Every converter, in a fixed order (the order reports list them in).
// `synonym_groups`: lists of interchangeable terms (one per lexicon
// category) for the synonym converter.
std::vector<std::unique_ptr<Converter>> MakeConverters(
    std::vector<std::vector<std::string>> synonym_groups);

// A chain of converters, applied left to right: "leetspeak>base64" first
// writes leetspeak, then base64-encodes that.
using Chain = std::vector<const Converter*>;

// "leetspeak>base64"; "none" for the empty chain (the unconverted seed).
std::string ChainName(std::span<const Converter* const> chain);

// The seed step `step` of a chain runs with. Derived, so two steps of one
// chain do not make the same random choices.
uint64_t StepSeed(uint64_t seed, size_t step);

std::string ApplyChain(std::span<const Converter* const> chain,
                       std::string_view utf8, uint64_t seed);

// The converters named in `list`: "all", "none" (no converter: only the
// unconverted prompts), or names separated by commas ("leetspeak,base64"),
// in the order given. kInvalidArgument naming an
// unknown or repeated name.
Result<Chain> SelectConverters(
    std::string_view list,
    const std::vector<std::unique_ptr<Converter>>& converters);

// A chain written as ChainName writes it ("leetspeak>base64", "none").
Result<Chain> ParseChain(
    std::string_view text,
    const std::vector<std::unique_ptr<Converter>>& converters);

}  // namespace bulwark::redteam

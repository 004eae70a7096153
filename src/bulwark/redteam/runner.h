// The red-team run: every seed prompt through every converter chain up to a
// depth, each variant checked by a target, plus the benign prompts checked
// as they are. The counts are kept honestly: a variant the target could not
// check (an error) is counted as not blocked, and a benign prompt that
// could not be checked as a false positive, since in production either
// would have reached, or been refused to, the user.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/redteam/converter.h"
#include "bulwark/redteam/target.h"

namespace bulwark::redteam {

struct RunOptions {
  int depth = 1;      // 1..3: chains of up to this many distinct converters
  uint64_t seed = 0;  // the run's seed; each prompt's is derived from it
  int jobs = 1;       // parallel checks, for concurrent targets only
  // Called on the calling thread with (checked, total) every 1000 checks
  // and once at the end; may be empty.
  std::function<void(uint64_t, uint64_t)> progress = {};
};

// One text the target checks.
struct Variant {
  bool benign = false;  // from the benign set, unconverted
  size_t prompt = 0;    // index into the seed or benign prompts
  std::string chain;    // "leetspeak>base64", "none"; "" for benign
  int depth = 0;        // converters in the chain
  std::string text;
};

struct ChainStats {
  std::string chain;  // ChainName
  std::vector<std::string> converters;
  uint64_t variants = 0;
  uint64_t blocked = 0;
  uint64_t flagged = 0;
  uint64_t errors = 0;  // counted in variants, never in blocked
};

// A variant that got through (not blocked), or a benign prompt that was
// flagged; `error` is set when the target failed instead of answering.
struct Miss {
  size_t prompt = 0;
  std::string chain;
  int depth = 0;
  std::string text;
  bool flagged = false;
  std::string detail;
  std::string error;
};

struct RunReport {
  std::string target;
  int depth = 1;
  uint64_t seed = 0;
  std::vector<std::string> converters;  // selected, in order
  uint64_t seed_prompts = 0;
  // "none" first, then depth 1, 2, 3, each in EnumerateChains order.
  std::vector<ChainStats> chains;
  std::vector<Miss> misses;  // in check order
  uint64_t benign_prompts = 0;
  uint64_t benign_flagged = 0;
  uint64_t benign_errors = 0;
  std::vector<Miss> false_positives;  // flagged or failed benign prompts

  uint64_t Variants() const;
  uint64_t Blocked() const;
  uint64_t Errors() const;
  // Variants not blocked / variants; 0 for no variants.
  double AttackSuccessRate() const;
  // (flagged + failed benign prompts) / benign prompts; 0 for none.
  double FalsePositiveRate() const;
};

// The empty chain, then every ordered chain of 1..depth distinct
// converters: for converters (a, b): none, a, b, a>b, b>a.
std::vector<Chain> EnumerateChains(const Chain& converters, int depth);

// The seed every chain applied to prompt `prompt` starts from, so a miss
// can be reproduced from (run seed, prompt, chain) alone.
uint64_t VariantSeed(uint64_t run_seed, size_t prompt);

// Called with each variant, in a fixed order (benign prompts first, then
// each seed prompt's chains), before its outcome is counted; an error stops
// the run.
using VariantSink = std::function<Status(const Variant&)>;

// kInvalidArgument for a depth outside 1..3; otherwise only the sink's
// errors end the run (the target's are counted).
Result<RunReport> RunRedteam(const std::vector<std::string>& seeds,
                             const std::vector<std::string>& benign,
                             const Chain& converters, const RunOptions& options,
                             Target& target, const VariantSink& sink = {});

}  // namespace bulwark::redteam

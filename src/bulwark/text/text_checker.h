// The text safeguard's core: normalise a prompt into views, find lexicon
// terms and ages in each, and evaluate the text rules. Built once (loading
// lexicons and the compiled patterns), then used from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/text/normalizer.h"
#include "bulwark/text/rules.h"
#include "bulwark/text/term_matcher.h"

namespace bulwark::text {

struct TextCheckerOptions {
  std::string lexicon_dir;
  std::vector<std::string> languages = {"en", "es", "fr", "de", "pt", "it"};
  std::vector<TextRule> rules;
  NormalizerLimits limits;
  std::string cache_dir;  // compiled patterns; "" = compile every start
};

struct TextReport {
  std::vector<RuleHit> fired;  // each rule at most once, first view first
  size_t views = 0;            // how many readings of the text were checked
  ChangeLog changes;           // when asked to explain
};

class TextChecker {
 public:
  static Result<TextChecker> Create(const TextCheckerOptions& options);

  // Thread-safe. kLimitExceeded for text over the limit.
  Result<TextReport> Check(std::string_view utf8, bool explain) const;

  const std::vector<TextRule>& rules() const { return rules_; }
  const Lexicon& lexicon() const { return matcher_.lexicon(); }
  bool patterns_from_cache() const { return matcher_.from_cache(); }

 private:
  TextChecker(Normalizer normalizer, TermMatcher matcher,
              std::vector<TextRule> rules);
  Normalizer normalizer_;
  TermMatcher matcher_;
  std::vector<TextRule> rules_;
  bool indicators_needed_ = true;  // every rule names an indicator category
};

}  // namespace bulwark::text

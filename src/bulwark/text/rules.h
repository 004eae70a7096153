// Text rules: which combinations of lexicon categories, close together in
// one view of the text, are evidence (issue 6). The policy file declares
// them (docs/POLICY.md, [[text.rule]]); the policy decides what a fired
// rule means.
#pragma once

#include <string>
#include <vector>

#include "bulwark/text/term_matcher.h"

namespace bulwark::text {

struct TextRule {
  std::string name;
  // Categories that must all be present: lexicon categories, or "age" for
  // a stated age below age_below. {"coded"} alone fires on any coded term.
  std::vector<std::string> all;
  int window = 12;     // at most this many words from the first to the last
  int age_below = 18;  // years
};

struct RuleHit {
  int rule = -1;  // index into the rule list
  std::string view;
  std::vector<Hit> evidence;  // one hit per category in rule.all
};

// The first place (in text order) each rule fires in `hits`, if any.
std::vector<RuleHit> EvaluateRules(const std::vector<TextRule>& rules,
                                   const std::vector<Hit>& hits,
                                   const std::string& view);

}  // namespace bulwark::text

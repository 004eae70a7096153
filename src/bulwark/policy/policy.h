// The policy: a declarative TOML file mapping findings to a verdict
// (docs/POLICY.md). The default policy blocks any match in a bank of
// category "csam" as "sexual/minors", and answers "review" when a detector
// fails (never a silent allow).
//
//   on_error = "review"                  # verdict when a detector fails
//
//   [[rule]]
//   name = "known-csam"
//   when = { finding = "hash.match", category = "csam" }
//   action = "block"                     # allow | review | block | report
//   category = "sexual/minors"           # the OpenAI category it flags
//
// A finding matches a rule when every key given under `when` is equal
// (`finding` against Finding::kind, `category` against Finding::category,
// `detector` against Finding::detector) and, if `min_score` is given, its
// score is at least that. All matching rules apply; the most severe action
// wins and categories accumulate.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/detect/finding.h"
#include "bulwark/policy/verdict.h"

namespace bulwark::policy {

struct Rule {
  std::string name;
  std::optional<std::string> finding, category, detector;
  std::optional<double> min_score;
  Action action = Action::kBlock;
  std::string flag_category;  // e.g. "sexual/minors"
};

class Policy {
 public:
  // kInvalidArgument naming the line and key for anything malformed or
  // unknown (a typo must not silently disable a rule).
  static Result<Policy> Parse(std::string_view toml);
  static Result<Policy> Load(const std::string& path);
  static Policy Default();

  Verdict Decide(const std::vector<detect::DetectorReport>& reports) const;

  Action on_error() const { return on_error_; }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  Action on_error_ = Action::kReview;
  std::vector<Rule> rules_;
};

}  // namespace bulwark::policy

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
// wins and categories accumulate (an "allow" rule with a category flags the
// category without holding the content).
//
// The `[text]` section configures the text detector: its lexicons and its
// rules, each of which becomes a policy rule on its own findings:
//
//   [text]
//   lexicons = "data/lexicons"   # relative to the policy file; default:
//                                # the lexicons shipped with Bulwark
//   languages = ["en", "es"]
//   [[text.rule]]
//   name = "minor-and-sexual"
//   all = ["minor", "sexual"]    # categories that must all be present
//   window = 12                  # within this many words
//   age_below = 18               # what category "age" means
//   action = "block"
//   category = "sexual/minors"
//
// A text rule with `action = "signal"` only reports its findings (other
// rules use them: the image rules' youth_rules); it decides nothing.
//
// The `[image]` section (policy/image_policy.h) combines an image
// classifier's scores with signs of youth.
//
// The `[conduct]` section (policy/conduct.h) turns verdicts into strikes on
// the account that sent the content.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/detect/finding.h"
#include "bulwark/policy/conduct.h"
#include "bulwark/policy/image_policy.h"
#include "bulwark/policy/verdict.h"
#include "bulwark/text/text_checker.h"

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
  // `base_dir`: where relative paths in the file (text.lexicons) start.
  static Result<Policy> Parse(std::string_view toml,
                              const std::string& base_dir = ".");
  static Result<Policy> Load(const std::string& path);
  // config/policy.toml as shipped (compiled in).
  static Policy Default();

  // `direction`: where the item was going (image rules depend on it); an
  // item is an input unless said otherwise, as detect::Item's default.
  Verdict Decide(const std::vector<detect::DetectorReport>& reports,
                 detect::Direction direction = detect::Direction::kInput) const;

  Action on_error() const { return on_error_; }
  const std::vector<Rule>& rules() const { return rules_; }
  // What the text detector needs: lexicon directory, languages, rules.
  // Empty rules when the policy has no text rules.
  const text::TextCheckerOptions& text() const { return text_; }
  // Strikes, thresholds and rate limits; disabled without [conduct].
  const ConductPolicy& conduct() const { return conduct_; }
  // The image classifier's model and the rules over its scores; no model
  // and no rules without [image].
  const ImagePolicy& image() const { return image_; }

 private:
  Action on_error_ = Action::kReview;
  std::vector<Rule> rules_;
  text::TextCheckerOptions text_;
  ConductPolicy conduct_;
  ImagePolicy image_;
};

}  // namespace bulwark::policy

// The `[image]` section: how an image classifier's scores combine with
// signs of youth into a verdict (docs/POLICY.md, "Image classifier").
//
//   [image]
//   model = "models/nsfwjs.toml"        # classify/ manifest; "" = no model;
//                                       # default: the one shipped
//   sexual = ["nsfw.porn", "nsfw.hentai"]   # the sexual score: their max
//   youth_rules = ["minor-mentioned"]   # text rules whose findings are youth
//   youth_signals = { "age.minor" = 0.5 }   # classifier signals that are
//                                       # youth, counted from this score
//   [[image.rule]]
//   name = "sexual-image-and-youth"
//   direction = "output"                # input | output | dataset; default any
//   sexual_at_least = 0.85              # 0..1
//   youth_at_least = 0.3                # optional, 0..1
//   youth_below = 0.3                   # optional, 0..1
//   action = "block"                    # allow | review | block (never report)
//   category = "sexual/minors"
//
// A classifier score is a priority, not proof: no image rule may report.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/detect/finding.h"
#include "bulwark/detect/item.h"
#include "bulwark/policy/verdict.h"

namespace bulwark::policy {

struct ImageRule {
  std::string name;
  std::optional<detect::Direction> direction;  // nullopt: every direction
  double sexual_at_least = 0.0;
  std::optional<double> youth_at_least, youth_below;
  Action action = Action::kReview;
  std::string category;
};

struct ImagePolicy {
  // Path of the classifier's manifest; empty: no classifier runs.
  std::string model;
  std::vector<std::string> sexual_signals;
  std::vector<std::string> youth_rules;
  // Classifier signal -> score from which it counts as a youth signal.
  std::vector<std::pair<std::string, double>> youth_signals;
  std::vector<ImageRule> rules;
};

// Applies `policy`'s image rules to the findings of one item going
// `direction`: acts on `verdict` (severity, categories, rules, reasons).
void ApplyImageRules(const ImagePolicy& policy,
                     const std::vector<detect::DetectorReport>& reports,
                     detect::Direction direction, Verdict& verdict);

}  // namespace bulwark::policy

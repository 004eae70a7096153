#include <algorithm>
#include <cstdio>

#include "bulwark/policy/image_policy.h"

namespace bulwark::policy {
namespace {

// The strongest piece of evidence for one side of a rule, with the words
// a reviewer reads in the verdict's reason.
struct Strongest {
  double score = 0.0;
  std::string what;

  void Offer(double s, std::string description) {
    if (what.empty() || s > score) {
      score = s;
      what = std::move(description);
    }
  }
};

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string Score(double s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

bool Applies(const ImageRule& rule, detect::Direction direction,
             const Strongest& sexual, const Strongest& youth) {
  if (rule.direction && *rule.direction != direction) return false;
  if (sexual.what.empty() || sexual.score < rule.sexual_at_least) return false;
  if (rule.youth_at_least && youth.score < *rule.youth_at_least) return false;
  if (rule.youth_below && youth.score >= *rule.youth_below) return false;
  return true;
}

}  // namespace

void ApplyImageRules(const ImagePolicy& policy,
                     const std::vector<detect::DetectorReport>& reports,
                     detect::Direction direction, Verdict& verdict) {
  Strongest sexual, youth;
  for (const detect::DetectorReport& r : reports) {
    for (const detect::Finding& f : r.findings) {
      if (f.kind == "image.class" &&
          Contains(policy.sexual_signals, f.category)) {
        sexual.Offer(f.score, f.category + " " + Score(f.score));
      } else if (f.kind == "image.class") {
        for (const auto& [signal, from] : policy.youth_signals) {
          if (signal == f.category && f.score >= from) {
            youth.Offer(f.score, f.category + " " + Score(f.score));
          }
        }
      } else if (f.kind == "text.rule" &&
                 Contains(policy.youth_rules, f.category)) {
        // A minor or an age under 18 in the words is as strong a sign as
        // there is; the text rule's own reason says where.
        youth.Offer(1.0, f.reason);
      }
    }
  }
  // No classifier score at all (no image, or the model failed, which the
  // detector's error already turns into on_error): nothing to combine.
  if (sexual.what.empty()) return;
  for (const ImageRule& rule : policy.rules) {
    if (!Applies(rule, direction, sexual, youth)) continue;
    verdict.action = std::max(verdict.action, rule.action);
    verdict.rules.push_back(rule.name);
    if (!rule.category.empty()) verdict.categories.push_back(rule.category);
    std::string reason = "rule ";
    reason += rule.name;
    reason += ": sexual score ";
    reason += sexual.what;
    if (youth.what.empty()) {
      reason += ", no youth signal";
    } else {
      reason += ", youth signal ";
      reason += youth.what;
    }
    verdict.reasons.push_back(std::move(reason));
  }
}

}  // namespace bulwark::policy

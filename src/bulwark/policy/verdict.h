// What the policy decides about an item.
#pragma once

#include <string>
#include <vector>

namespace bulwark::policy {

// Ordered by severity: combining verdicts keeps the most severe.
enum class Action {
  kAllow = 0,
  kReview = 1,  // hold for a person
  kBlock = 2,   // refuse the content
  kReport = 3,  // block, and the content is reportable (confirmed known
                // material): an incident must be reported
};

const char* ActionName(Action a);  // "allow", "review", "block", "report"

struct Verdict {
  Action action = Action::kAllow;
  // OpenAI-style category names the verdict is about ("sexual/minors"),
  // sorted, unique.
  std::vector<std::string> categories;
  // One line per rule that fired or detector that failed, for people.
  std::vector<std::string> reasons;
  // Names of the policy rules that fired, sorted, unique (conduct's
  // ban_at_once refers to them).
  std::vector<std::string> rules;

  bool flagged() const { return action != Action::kAllow; }
};

}  // namespace bulwark::policy

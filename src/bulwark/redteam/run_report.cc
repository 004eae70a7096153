#include "bulwark/redteam/runner.h"

namespace bulwark::redteam {

uint64_t RunReport::Variants() const {
  uint64_t n = 0;
  for (const ChainStats& c : chains) n += c.variants;
  return n;
}

uint64_t RunReport::Blocked() const {
  uint64_t n = 0;
  for (const ChainStats& c : chains) n += c.blocked;
  return n;
}

uint64_t RunReport::Errors() const {
  uint64_t n = 0;
  for (const ChainStats& c : chains) n += c.errors;
  return n;
}

double RunReport::AttackSuccessRate() const {
  const uint64_t n = Variants();
  return n == 0 ? 0.0 : static_cast<double>(n - Blocked()) / n;
}

double RunReport::FalsePositiveRate() const {
  return benign_prompts == 0
             ? 0.0
             : static_cast<double>(benign_flagged + benign_errors) /
                   benign_prompts;
}

}  // namespace bulwark::redteam

#include "bulwark/policy/check.h"

namespace bulwark::policy {

CheckResult RunCheck(const std::vector<const detect::Detector*>& detectors,
                     const Policy& policy, const detect::Item& item) {
  CheckResult result;
  result.reports.reserve(detectors.size());
  for (const detect::Detector* d : detectors) {
    result.reports.push_back(d->Run(item));
  }
  result.verdict = policy.Decide(result.reports);
  return result;
}

}  // namespace bulwark::policy

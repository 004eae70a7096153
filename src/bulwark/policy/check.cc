#include "bulwark/policy/check.h"

#include <chrono>

namespace bulwark::policy {

CheckResult RunCheck(const std::vector<const detect::Detector*>& detectors,
                     const Policy& policy, const detect::Item& item,
                     const DetectorObserver& observe) {
  CheckResult result;
  result.reports.reserve(detectors.size());
  for (const detect::Detector* d : detectors) {
    const auto t0 = std::chrono::steady_clock::now();
    result.reports.push_back(d->Run(item));
    if (observe) {
      observe(result.reports.back(), std::chrono::duration<double>(
                                         std::chrono::steady_clock::now() - t0)
                                         .count());
    }
  }
  result.verdict = policy.Decide(result.reports, item.direction);
  return result;
}

}  // namespace bulwark::policy

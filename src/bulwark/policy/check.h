// The check flow every safeguard shares (DESIGN.md): an item goes through
// every detector, and the policy turns their reports into a verdict. The
// service runs it per request, the CLI per file.
#pragma once

#include <functional>
#include <vector>

#include "bulwark/detect/detector.h"
#include "bulwark/detect/item.h"
#include "bulwark/policy/policy.h"

namespace bulwark::policy {

struct CheckResult {
  Verdict verdict;
  std::vector<detect::DetectorReport> reports;  // one per detector, in order
};

// Told how long each detector took and what it said (the service's
// metrics).
using DetectorObserver =
    std::function<void(const detect::DetectorReport& report, double seconds)>;

// Runs every detector on `item` (detectors must be thread-safe) and
// decides.
CheckResult RunCheck(const std::vector<const detect::Detector*>& detectors,
                     const Policy& policy, const detect::Item& item,
                     const DetectorObserver& observe = nullptr);

}  // namespace bulwark::policy

// The Detector interface: computes findings about an item. Implementations
// are immutable after construction and safe to call from many threads.
#pragma once

#include <string_view>

#include "bulwark/detect/finding.h"
#include "bulwark/detect/item.h"

namespace bulwark::detect {

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  // Never throws; problems go into DetectorReport::error. A detector with
  // nothing to look at (a hash detector given text only) returns an empty
  // report without error.
  virtual DetectorReport Run(const Item& item) const = 0;
};

}  // namespace bulwark::detect

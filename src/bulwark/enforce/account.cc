#include "bulwark/enforce/account.h"

namespace bulwark::enforce {

const char* AccountStatusName(AccountStatus s) {
  switch (s) {
    case AccountStatus::kGood:
      return "good";
    case AccountStatus::kWarned:
      return "warned";
    case AccountStatus::kThrottled:
      return "throttled";
    case AccountStatus::kSuspended:
      return "suspended";
    case AccountStatus::kBanned:
      return "banned";
  }
  return "good";
}

}  // namespace bulwark::enforce

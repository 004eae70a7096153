#include "bulwark/policy/verdict.h"

namespace bulwark::policy {

const char* ActionName(Action a) {
  switch (a) {
    case Action::kAllow:
      return "allow";
    case Action::kReview:
      return "review";
    case Action::kBlock:
      return "block";
    case Action::kReport:
      return "report";
  }
  return "review";
}

}  // namespace bulwark::policy

#include "bulwark/cli/verdict_output.h"

namespace bulwark::cli {

void PrintVerdict(std::ostream& out, const policy::Verdict& verdict) {
  out << policy::ActionName(verdict.action);
  for (const auto& c : verdict.categories) out << ' ' << c;
  out << '\n';
  for (const auto& s : verdict.reasons) out << "  " << s << '\n';
}

}  // namespace bulwark::cli

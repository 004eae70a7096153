// A verdict as the check commands print it for people: the action and its
// categories on one line ("block sexual/minors"), then one indented line per
// reason.
#pragma once

#include <ostream>

#include "bulwark/policy/verdict.h"

namespace bulwark::cli {

void PrintVerdict(std::ostream& out, const policy::Verdict& verdict);

}  // namespace bulwark::cli

#include "bulwark/bank/bank.h"

namespace bulwark::bank {

Status ValidateBankName(const std::string& name) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bad bank name '" + name + "': " + why);
  };
  if (name.empty() || name.size() > 64)
    return bad("must be 1 to 64 characters");
  if (name[0] == '.' || name[0] == '-')
    return bad("must not start with '.' or '-'");
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return bad("only letters, digits, '.', '_' and '-' are allowed");
  }
  return Ok{};
}

}  // namespace bulwark::bank

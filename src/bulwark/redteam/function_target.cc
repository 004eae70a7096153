#include "bulwark/redteam/target.h"

namespace bulwark::redteam {
namespace {

class FunctionTarget : public Target {
 public:
  FunctionTarget(std::string name,
                 std::function<Result<Outcome>(std::string_view)> fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  Result<Outcome> Check(std::string_view text) override { return fn_(text); }

 private:
  std::string name_;
  std::function<Result<Outcome>(std::string_view)> fn_;
};

}  // namespace

std::unique_ptr<Target> MakeFunctionTarget(
    std::string name, std::function<Result<Outcome>(std::string_view)> fn) {
  return std::make_unique<FunctionTarget>(std::move(name), std::move(fn));
}

}  // namespace bulwark::redteam

#include "bulwark/cli/builtin_target.h"

#include <algorithm>
#include <map>

#include "bulwark/cli/text_safeguard.h"
#include "bulwark/policy/check.h"

namespace bulwark::cli {
namespace {

constexpr const char* kMinorsCategory = "sexual/minors";

// The text detector and policy behind the redteam Target interface: the
// same RunCheck the service and `check text` use.
class BuiltinTarget final : public redteam::Target {
 public:
  explicit BuiltinTarget(TextSafeguard safeguard)
      : safeguard_(std::move(safeguard)) {}

  std::string name() const override { return "bulwark (built-in)"; }
  bool concurrent() const override { return true; }

  Result<redteam::Outcome> Check(std::string_view text) override {
    detect::Item item;
    item.text = std::string(text);
    const policy::CheckResult r =
        policy::RunCheck({safeguard_.detector.get()}, safeguard_.policy, item);
    for (const auto& rep : r.reports) {
      if (rep.error) return *rep.error;
    }
    const auto& cats = r.verdict.categories;
    const bool minors =
        std::find(cats.begin(), cats.end(), kMinorsCategory) != cats.end();
    redteam::Outcome out;
    out.flagged = minors && r.verdict.flagged();
    out.blocked = minors && r.verdict.action >= policy::Action::kBlock;
    for (const std::string& reason : r.verdict.reasons) {
      if (!out.detail.empty()) out.detail += "; ";
      out.detail += reason;
    }
    return out;
  }

 private:
  TextSafeguard safeguard_;
};

}  // namespace

Result<std::unique_ptr<redteam::Target>> MakeBuiltinTarget(
    const std::string& policy_path, const std::string& lexicon_dir,
    const std::string& cache_dir) {
  auto safeguard = LoadTextSafeguard(policy_path, lexicon_dir, cache_dir);
  if (!safeguard.ok()) return safeguard.error();
  if (!safeguard->detector) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the policy has no [[text.rule]]: the built-in target "
                     "would let everything through");
  }
  return std::unique_ptr<redteam::Target>(
      std::make_unique<BuiltinTarget>(std::move(*safeguard)));
}

Result<std::vector<std::vector<std::string>>> LexiconSynonymGroups(
    const std::string& policy_path, const std::string& lexicon_dir) {
  auto policy = LoadPolicy(policy_path);
  if (!policy.ok()) return policy.error();
  const text::TextCheckerOptions& options = policy->text();
  auto lexicon =
      text::LoadLexicon(lexicon_dir.empty() ? options.lexicon_dir : lexicon_dir,
                        options.languages);
  if (!lexicon.ok()) return lexicon.error();
  std::map<std::string, std::vector<std::string>> by_category;
  for (const text::Term& t : lexicon->terms) {
    // Words that need company from their own language are not stand-ins
    // for the others.
    if (!t.needs_company && text::IsIndicatorCategory(t.category)) {
      by_category[t.category].push_back(t.words);
    }
  }
  std::vector<std::vector<std::string>> groups;
  for (auto& [category, words] : by_category)
    groups.push_back(std::move(words));
  return groups;
}

}  // namespace bulwark::cli

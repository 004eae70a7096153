#include "bulwark/text/text_checker.h"

#include <algorithm>
#include <set>

namespace bulwark::text {

TextChecker::TextChecker(Normalizer normalizer, TermMatcher matcher,
                         std::vector<TextRule> rules)
    : normalizer_(std::move(normalizer)),
      matcher_(std::move(matcher)),
      rules_(std::move(rules)) {
  // A rule of ages alone ("age" only) can fire without an indicator.
  for (const TextRule& r : rules_) {
    indicators_needed_ =
        indicators_needed_ &&
        std::any_of(r.all.begin(), r.all.end(), IsIndicatorCategory);
  }
}

Result<TextChecker> TextChecker::Create(const TextCheckerOptions& options) {
  for (const TextRule& r : options.rules) {
    if (r.all.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "text rule " + r.name + " names no category");
    }
  }
  auto normalizer = Normalizer::Create(options.limits);
  if (!normalizer.ok()) return normalizer.error();
  auto lexicon = LoadLexicon(options.lexicon_dir, options.languages);
  if (!lexicon.ok()) return lexicon.error();
  std::set<std::string> categories = {"age"};
  for (const Term& t : lexicon->terms) categories.insert(t.category);
  for (const TextRule& r : options.rules) {
    for (const std::string& c : r.all) {
      // A rule naming a category no lexicon has would never fire: say so
      // rather than run a safeguard with a hole in it.
      if (!categories.count(c)) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            "text rule " + r.name + ": no lexicon has category '" + c + "'");
      }
    }
  }
  auto matcher =
      TermMatcher::Build(std::move(*lexicon), *normalizer, options.cache_dir);
  if (!matcher.ok()) return matcher.error();
  return TextChecker(std::move(*normalizer), std::move(*matcher),
                     options.rules);
}

Result<TextReport> TextChecker::Check(std::string_view utf8,
                                      bool explain) const {
  auto normalized = normalizer_.Run(utf8, explain);
  if (!normalized.ok()) return normalized.error();
  TextReport report;
  report.views = normalized->views.size();
  report.changes = std::move(normalized->changes);
  std::vector<bool> done(rules_.size(), false);
  for (const View& view : normalized->views) {
    auto hits =
        matcher_.Match(view.run, view.how.find("rot13") != std::string::npos,
                       indicators_needed_);
    if (!hits.ok()) return hits.error();
    for (RuleHit& fired : EvaluateRules(rules_, *hits, view.how)) {
      auto r = static_cast<size_t>(fired.rule);
      if (done[r]) continue;
      done[r] = true;
      report.fired.push_back(std::move(fired));
    }
  }
  return report;
}

}  // namespace bulwark::text

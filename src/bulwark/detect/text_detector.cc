#include "bulwark/detect/text_detector.h"

namespace bulwark::detect {
namespace {

std::string Describe(const text::RuleHit& hit, const text::TextChecker& c,
                     const std::string& field) {
  std::string out = "text rule ";
  out += c.rules()[static_cast<size_t>(hit.rule)].name;
  out += " in ";
  out += field;
  if (hit.view != "text") {
    out += " (read as ";
    out += hit.view;
    out += ")";
  }
  out += ":";
  for (const text::Hit& h : hit.evidence) {
    out += " ";
    out += h.category;
    out += " '";
    out += h.text;
    out += "' at bytes ";
    out += std::to_string(h.original.begin);
    out += "..";
    out += std::to_string(h.original.end);
    out += ";";
  }
  out.pop_back();
  return out;
}

}  // namespace

TextDetector::TextDetector(std::shared_ptr<const text::TextChecker> checker)
    : checker_(std::move(checker)) {}

DetectorReport TextDetector::Run(const Item& item) const {
  DetectorReport report;
  report.detector = "text";
  const std::pair<const char*, const std::optional<std::string>*> fields[] = {
      {"text", &item.text}, {"prompt", &item.prompt}};
  for (const auto& [field, value] : fields) {
    if (!value->has_value()) continue;
    auto checked = checker_->Check(**value, /*explain=*/false);
    if (!checked.ok()) {
      report.error = checked.error();
      return report;
    }
    for (const text::RuleHit& hit : checked->fired) {
      Finding f;
      f.detector = "text";
      f.kind = "text.rule";
      f.category = checker_->rules()[static_cast<size_t>(hit.rule)].name;
      f.reason = Describe(hit, *checker_, field);
      f.field = field;
      f.view = hit.view;
      for (const text::Hit& h : hit.evidence) {
        TextEvidence e;
        e.category = h.category;
        e.term =
            h.term >= 0
                ? checker_->lexicon().terms[static_cast<size_t>(h.term)].words
                : std::to_string(h.age) + " years";
        e.matched = h.text;
        e.span = h.original;
        f.evidence.push_back(std::move(e));
      }
      report.findings.push_back(std::move(f));
    }
  }
  return report;
}

}  // namespace bulwark::detect

// The text detector: runs the text rules (text::TextChecker) over an
// item's text, and over an output's prompt, which is often the strongest
// sign of what an image shows.
#pragma once

#include <memory>

#include "bulwark/detect/detector.h"
#include "bulwark/text/text_checker.h"

namespace bulwark::detect {

class TextDetector final : public Detector {
 public:
  explicit TextDetector(std::shared_ptr<const text::TextChecker> checker);

  std::string_view name() const override { return "text"; }
  // Findings: one "text.rule" per rule that fired in a field, category =
  // the rule's name, with the terms and spans that made it fire. Text over
  // the length limit is an error (the policy's on_error applies); no text
  // and no prompt: an empty report.
  DetectorReport Run(const Item& item) const override;

 private:
  std::shared_ptr<const text::TextChecker> checker_;
};

}  // namespace bulwark::detect

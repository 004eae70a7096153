#include "bulwark/detect/classifier_detector.h"

#include <cstdio>

namespace bulwark::detect {

ClassifierDetector::ClassifierDetector(
    std::shared_ptr<const classify::Classifier> classifier,
    media::DecodeOptions decode)
    : classifier_(std::move(classifier)), decode_(std::move(decode)) {}

DetectorReport ClassifierDetector::Run(const Item& item) const {
  DetectorReport report;
  report.detector = std::string(name());
  if (!item.image) return report;
  std::optional<Result<media::Image>> own;
  if (!item.decoded) own.emplace(media::DecodeImage(*item.image, decode_));
  const Result<media::Image>& image =
      item.decoded ? item.decoded->Get(*item.image) : *own;
  if (!image.ok()) {
    report.error = image.error();
    return report;
  }
  auto classified = classifier_->Classify(*image);
  if (!classified.ok()) {
    report.error = classified.error();
    return report;
  }
  const std::string& model = classifier_->manifest().name;
  for (const classify::Score& s : classified->scores) {
    if (s.signal.empty()) continue;
    Finding f;
    f.detector = report.detector;
    f.kind = "image.class";
    f.category = s.signal;
    f.score = s.probability;
    char score[16];
    std::snprintf(score, sizeof score, "%.3f", s.probability);
    f.reason = "model ";
    f.reason += model;
    f.reason += ": ";
    f.reason += s.label;
    f.reason += " ";
    f.reason += score;
    report.findings.push_back(std::move(f));
  }
  return report;
}

}  // namespace bulwark::detect

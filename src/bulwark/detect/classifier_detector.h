// The image-classifier detector: a model's score per label as findings
// ("image.class", category = the label's signal, such as "nsfw.porn"),
// for the policy's [image] rules to combine with other evidence. Scores
// are evidence, never a verdict.
#pragma once

#include <memory>
#include <string>

#include "bulwark/classify/classifier.h"
#include "bulwark/detect/detector.h"

namespace bulwark::detect {

class ClassifierDetector final : public Detector {
 public:
  // `decode`: how images are decoded when the item carries no shared
  // decode (Item::decoded).
  ClassifierDetector(std::shared_ptr<const classify::Classifier> classifier,
                     media::DecodeOptions decode);

  std::string_view name() const override { return "classifier"; }
  // No image: an empty report. An image that does not decode, or a model
  // that fails: an error (the policy's on_error applies). Labels that feed
  // no signal are left out.
  DetectorReport Run(const Item& item) const override;

 private:
  std::shared_ptr<const classify::Classifier> classifier_;
  media::DecodeOptions decode_;
};

}  // namespace bulwark::detect

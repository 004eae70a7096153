#include "bulwark/detect/provenance_detector.h"

namespace bulwark::detect {

DetectorReport ProvenanceDetector::Run(const Item& item) const {
  DetectorReport report;
  report.detector = std::string(name());
  if (!item.image) return report;
  auto verified = provenance::VerifyImage(*item.image, options_);
  if (!verified.ok()) {
    report.error = verified.error();
    return report;
  }
  const provenance::VerifyReport& r = *verified;
  if (r.state == provenance::VerifyState::kNone) return report;
  const std::string state = provenance::VerifyStateName(r.state);
  Finding f;
  f.detector = report.detector;
  f.kind = kProvenanceManifest;
  f.category = state;
  f.reason = "C2PA manifest " + state;
  if (r.state == provenance::VerifyState::kInvalid) {
    f.reason += " (" + r.failed_check + ": " + r.reason + ")";
  } else {
    f.reason += ", signed by " + r.signer_subject + " (" + r.alg + ")";
  }
  if (!r.claim_generator.empty())
    f.reason += ", generator " + r.claim_generator;
  if (!r.digital_source_type.empty()) {
    f.reason += ", source type " + r.digital_source_type;
  }
  report.findings.push_back(f);
  if (r.ai_generated && r.state != provenance::VerifyState::kInvalid) {
    f.kind = kProvenanceAiGenerated;
    f.reason = "C2PA manifest (" + state + ") declares the image AI-generated";
    report.findings.push_back(std::move(f));
  }
  return report;
}

}  // namespace bulwark::detect

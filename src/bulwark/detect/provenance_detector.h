// The provenance detector: reads an incoming image's C2PA manifest
// (provenance/verify_image.h) and reports what it declares, so incidents
// and reports can say whether an image claims to be AI-generated and
// whether that claim verifies.
#pragma once

#include "bulwark/detect/detector.h"
#include "bulwark/provenance/verify_image.h"

namespace bulwark::detect {

// Finding kinds. "provenance.manifest": a manifest was found; category its
// state ("trusted", "valid", "invalid"). "provenance.ai_generated": a
// manifest that verified (trusted or valid) declares the image made by a
// generative model; category the state too.
inline constexpr const char* kProvenanceManifest = "provenance.manifest";
inline constexpr const char* kProvenanceAiGenerated = "provenance.ai_generated";

class ProvenanceDetector final : public Detector {
 public:
  explicit ProvenanceDetector(provenance::VerifyOptions options)
      : options_(std::move(options)) {}

  std::string_view name() const override { return "provenance"; }
  // No image or no manifest: no findings. A manifest that fails
  // verification is a finding (state "invalid", with the failed check),
  // not an error: a broken manifest says nothing against the image.
  DetectorReport Run(const Item& item) const override;

 private:
  provenance::VerifyOptions options_;
};

}  // namespace bulwark::detect

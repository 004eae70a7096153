// The service's C2PA pieces from its config's [provenance] section: the
// signer for POST /v1/provenance/sign (when a certificate and key are
// configured) and the trust anchors incoming manifests are checked against.
// Loaded at start, so a bad key or certificate stops `serve` with an error
// naming the file.
#pragma once

#include <memory>

#include "bulwark/core/result.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/verify_image.h"
#include "bulwark/service/config.h"

namespace bulwark::cli {

struct ProvenanceSetup {
  std::unique_ptr<provenance::Signer> signer;  // null: signing not configured
  provenance::SignOptions sign_options;
  provenance::VerifyOptions verify_options;
};

Result<ProvenanceSetup> LoadProvenance(const service::ServiceConfig& config);

}  // namespace bulwark::cli

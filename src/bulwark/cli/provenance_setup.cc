#include "bulwark/cli/provenance_setup.h"

#include "bulwark/core/file.h"
#include "bulwark/provenance/pem_signer.h"

namespace bulwark::cli {

Result<ProvenanceSetup> LoadProvenance(const service::ServiceConfig& config) {
  ProvenanceSetup out;
  if (!config.provenance_trust_anchors.empty()) {
    auto pem = ReadFile(config.provenance_trust_anchors, 16 << 20);
    if (!pem.ok()) {
      return MakeError(pem.error().code, "[provenance] trust_anchors " +
                                             config.provenance_trust_anchors +
                                             ": " + pem.error().message);
    }
    out.verify_options.trust_anchor_pems.emplace_back(pem->begin(), pem->end());
  }
  if (config.provenance_cert.empty()) return out;
  auto alg = provenance::ParseSigningAlgorithm(config.provenance_alg);
  if (!alg.ok()) {
    return MakeError(alg.error().code,
                     "[provenance] alg: " + alg.error().message);
  }
  auto signer = provenance::PemSigner::FromFiles(config.provenance_cert,
                                                 config.provenance_key, *alg);
  if (!signer.ok()) {
    return MakeError(
        signer.error().code,
        "[provenance] signing certificate or key: " + signer.error().message);
  }
  out.signer = std::move(*signer);
  out.sign_options.generator =
      provenance::ParseGenerator(config.provenance_generator);
  return out;
}

}  // namespace bulwark::cli

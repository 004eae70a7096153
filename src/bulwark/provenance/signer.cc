#include "bulwark/provenance/signer.h"

#include <string>

#include "bulwark/core/ascii.h"

namespace bulwark::provenance {

const char* SigningAlgorithmName(SigningAlgorithm alg) {
  switch (alg) {
    case SigningAlgorithm::kEs256:
      return "es256";
    case SigningAlgorithm::kPs256:
      return "ps256";
    case SigningAlgorithm::kEd25519:
      return "ed25519";
  }
  return "unknown";
}

Result<SigningAlgorithm> ParseSigningAlgorithm(std::string_view name) {
  for (SigningAlgorithm alg :
       {SigningAlgorithm::kEs256, SigningAlgorithm::kPs256,
        SigningAlgorithm::kEd25519}) {
    if (EqualsIgnoreAsciiCase(name, SigningAlgorithmName(alg))) return alg;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown signing algorithm '" + std::string(name) +
                       "' (expected es256, ps256 or ed25519)");
}

int64_t CoseAlgorithmId(SigningAlgorithm alg) {
  switch (alg) {
    case SigningAlgorithm::kEs256:
      return -7;
    case SigningAlgorithm::kPs256:
      return -37;
    case SigningAlgorithm::kEd25519:
      return -8;
  }
  return 0;
}

}  // namespace bulwark::provenance

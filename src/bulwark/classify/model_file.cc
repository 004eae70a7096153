#include "bulwark/classify/model_file.h"

#include "bulwark/core/file.h"
#include "bulwark/hash/digest.h"

namespace bulwark::classify {

Result<std::vector<uint8_t>> ReadModelFile(const ModelManifest& manifest) {
  const std::string file = manifest.file.string();
  auto bytes = ReadFile(file, kMaxModelBytes);
  if (!bytes.ok()) {
    std::string hint = bytes.error().code == ErrorCode::kNotFound
                           ? " (scripts/install-models.sh installs the "
                             "default models)"
                           : "";
    return MakeError(bytes.error().code, "model file " + file + ": " +
                                             bytes.error().message + hint);
  }
  auto digest = hash::DigestHex(hash::DigestAlgorithm::kSha256, *bytes);
  if (!digest.ok()) return digest.error();
  if (*digest != manifest.sha256) {
    return MakeError(ErrorCode::kCorrupt,
                     "model file " + file + " has SHA-256 " + *digest +
                         ", but " + manifest.path.string() + " pins " +
                         manifest.sha256);
  }
  return bytes;
}

}  // namespace bulwark::classify

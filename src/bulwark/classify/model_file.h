// Reading a manifest's model file and checking it is the pinned one.
#pragma once

#include <cstdint>
#include <vector>

#include "bulwark/classify/model_manifest.h"
#include "bulwark/core/result.h"

namespace bulwark::classify {

inline constexpr uint64_t kMaxModelBytes = uint64_t{1} << 30;

// The bytes of manifest.file, at most kMaxModelBytes. A missing file is
// kNotFound and a SHA-256 other than manifest.sha256 is kCorrupt; every
// error message names the file (and, for a mismatch, both digests).
Result<std::vector<uint8_t>> ReadModelFile(const ModelManifest& manifest);

}  // namespace bulwark::classify

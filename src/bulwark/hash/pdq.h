// PDQ perceptual hashing of decoded images, bit-exact with Meta's reference
// implementation (facebook/ThreatExchange pdq/cpp).
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "bulwark/core/result.h"
#include "bulwark/hash/pdq_dct.h"
#include "bulwark/hash/pdq_hash.h"
#include "bulwark/media/image.h"

namespace bulwark::hash {

enum class PdqMode {
  // The image at full resolution: what Meta's Java reference, HMA
  // (pdqhash-python) and vPDQ compute.
  kFull,
  // Images larger than 512 on a side are first squashed to exactly 512x512
  // by nearest neighbour, as Meta's pdq-photo-hasher command does.
  kCli512,
  // Like kFull on an image decoded at reduced scale where the decoder can do
  // that cheaply (JPEG). Close to kFull, not equal: see docs/PERFORMANCE.md.
  kFast,
};

// "full", "cli512", "fast".
const char* PdqModeName(PdqMode mode);
Result<PdqMode> ParsePdqMode(std::string_view text);

// Shorter side below which kFast decodes no further down.
inline constexpr int kFastModeMinSide = 512;

// Smaller images cannot be hashed: the reference returns an all-zero hash
// for them, which Bulwark reports as an error instead.
inline constexpr int kPdqMinSide = 5;

// Hashes with quality below this are unreliable for matching.
inline constexpr int kPdqMinReliableQuality = 50;

struct PdqResult {
  PdqHash hash;
  int quality = 0;  // 0..100
  // Set when requested: the hashes of the 8 dihedral transforms, indexed by
  // Dihedral (entry 0 is the reference's dihedral-path original).
  std::optional<std::array<PdqHash, kDihedralCount>> dihedral;

  bool reliable() const { return quality >= kPdqMinReliableQuality; }
};

struct PdqOptions {
  PdqMode mode = PdqMode::kFull;
  bool dihedral = false;
};

// True when every pixel has R == G == B (trivially true for Gray8). The
// reference tools see such images as single-channel grey (ImageMagick
// writes them as PGM), and hash the grey value, not a weighted sum.
bool IsGrey(const media::Image& image);

// Fails with kInvalidArgument ("too small for PDQ") below 5x5. The image is
// hashed as given: orientation is the caller's business. kFast hashes the
// image as kFull does; the speed-up comes from decoding (see kFastModeMinSide).
Result<PdqResult> ComputePdq(const media::Image& image,
                             const PdqOptions& options);

// The rest of PDQ once the image is blurred and decimated to 64x64 luma
// (DownsampleToLuma64, PdqRowHasher): quality, DCT, hash and, when asked,
// the dihedral hashes.
PdqResult PdqFromLuma64(const float (&luma)[64][64], bool dihedral);

}  // namespace bulwark::hash

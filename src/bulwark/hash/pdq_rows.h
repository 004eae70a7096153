// PDQ (full mode) of an image whose pixel rows arrive top to bottom, e.g.
// from media::DecodeJpegRows: the whole image never exists in memory, so the
// decoder's rows are still in cache when they are filtered. Bit-identical
// to ComputePdq on the same pixels; see Finish() for the one case it
// cannot decide alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "bulwark/hash/pdq.h"
#include "bulwark/media/image.h"

namespace bulwark::hash {

namespace internal {
class BlurAvx512;
}

class PdqRowHasher {
 public:
  // Rows per PushRows call (except the last).
  static constexpr int kStripRows = 64;

  // Whether this way of hashing applies: the CPU runs the streaming kernel
  // (AVX-512), the image is at least 5x5, and it is not 64x64 (which the
  // reference passes through unfiltered, except for dihedral variants).
  // Otherwise decode the whole image and call ComputePdq.
  static bool Accepts(int width, int height);

  PdqRowHasher(int width, int height, media::PixelFormat format, bool dihedral);
  ~PdqRowHasher();

  void PushRows(const uint8_t* rows, size_t stride, int count);

  // The result, or nullopt for an RGB image whose pixels all had
  // R == G == B: such images hash by the grey value (see IsGrey), which is
  // only known at the end; hash the whole image with ComputePdq instead.
  std::optional<PdqResult> Finish();

 private:
  std::unique_ptr<internal::BlurAvx512> blur_;
  int width_;
  media::PixelFormat format_;
  bool dihedral_;
  bool saw_colour_ = false;
};

}  // namespace bulwark::hash

#include "bulwark/hash/pdq_rows.h"

#include <algorithm>

#include "bulwark/hash/pdq_blur_avx512.h"
#include "bulwark/hash/pdq_downsample.h"

namespace bulwark::hash {
namespace {

static_assert(PdqRowHasher::kStripRows % internal::BlurAvx512::kBlock == 0);

// Any pixel with R != G or R != B. Colour images answer within a few
// pixels, after which the rows are no longer checked.
bool HasColour(const uint8_t* p, int width) {
  for (int x = 0; x < width; ++x, p += 3) {
    if (p[0] != p[1] || p[0] != p[2]) return true;
  }
  return false;
}

}  // namespace

bool PdqRowHasher::Accepts(int width, int height) {
  return internal::UseAvx512() && width >= kPdqMinSide &&
         height >= kPdqMinSide && !(width == 64 && height == 64);
}

PdqRowHasher::PdqRowHasher(int width, int height, media::PixelFormat format,
                           bool dihedral)
    : width_(width), format_(format), dihedral_(dihedral) {
  // RGB images are filtered by weighted luma from the start; an image that
  // turns out to be all grey is redone by the caller (Finish()).
  blur_ = std::make_unique<internal::BlurAvx512>(
      width, height,
      format == media::PixelFormat::kGray8 ? internal::LumaSource::kGray8
                                           : internal::LumaSource::kRgb);
}

PdqRowHasher::~PdqRowHasher() = default;

void PdqRowHasher::PushRows(const uint8_t* rows, size_t stride, int count) {
  if (format_ == media::PixelFormat::kRgb8 && !saw_colour_) {
    for (int r = 0; r < count && !saw_colour_; ++r) {
      saw_colour_ = HasColour(rows + r * stride, width_);
    }
  }
  const int block = internal::BlurAvx512::kBlock;
  for (int r = 0; r < count; r += block) {
    blur_->PushRows(rows + r * stride, stride, std::min(block, count - r));
  }
}

std::optional<PdqResult> PdqRowHasher::Finish() {
  if (format_ == media::PixelFormat::kRgb8 && !saw_colour_) return {};
  Luma64 luma;
  blur_->Finish(luma);
  return PdqFromLuma64(luma, dihedral_);
}

}  // namespace bulwark::hash

// PDQ's first stage: image -> float luma -> two-pass "Jarosz" box blur ->
// 64x64 decimation, bit-exact with Meta's reference (pdqhashing.cpp,
// downscaling.cpp), but streamed so that no full-size float buffer exists.
//
// Why streaming is exact: the reference filters each row (then each column)
// with a running float sum updated in a fixed order (add the entering
// sample, then subtract the leaving one, then divide by the window count).
// Every output depends only on that per-line sequence of operations, so any
// schedule that performs the same operations per line in the same order
// gives the same bits. We run 4 rows at once in SIMD lanes for the row
// passes and all columns at once for the column passes, keep only the rows
// the column window still needs, and compute the second pass only at the
// 64 rows and 64 columns that decimation keeps.
#pragma once

#include "bulwark/media/image.h"

namespace bulwark::hash {

using Luma64 = float[64][64];

// Luma is 0.299 R + 0.587 G + 0.114 B in float32, evaluated left to right;
// when `use_grey_value` is set (grey images, or RGB images whose pixels all
// have R == G == B) the grey sample itself is used, as the reference does
// for single-channel input. `image` must be at least 5x5.
//
// `allow_passthrough`: the reference's plain hashing path copies a 64x64
// image's luma straight through without blurring; its dihedral path blurs
// it anyway (with window 1, which is not an identity in float). Pass true to
// get the former.
void DownsampleToLuma64(const media::Image& image, bool use_grey_value,
                        bool allow_passthrough, Luma64& out);

}  // namespace bulwark::hash

// PDQ's second stage, from the 64x64 luma: the quality metric, the 16x16
// DCT (coefficients 1..16 of a 64-point DCT-II in each direction), the
// median threshold, and the eight dihedral variants derived from one DCT.
// Every float operation happens in the reference's order.
#pragma once

#include <array>

#include "bulwark/hash/pdq_downsample.h"
#include "bulwark/hash/pdq_hash.h"

namespace bulwark::hash {

using Dct16 = float[16][16];

// 0..100: the sum of quantised neighbour gradients, scaled. Below 50 the
// hash is unreliable (flat or blurry images).
int PdqQuality(const Luma64& luma);

void Dct64To16(const Luma64& luma, Dct16& out);

// Bit i*16+j is set when out[i][j] is above the median of all 256 values.
PdqHash HashFromDct(const Dct16& dct);

// The order matches Meta's --pdqdih output and Dihedral below.
enum class Dihedral {
  kOriginal,
  kRotate90,  // 90 degrees counter-clockwise
  kRotate180,
  kRotate270,
  kFlipX,       // top and bottom swapped
  kFlipY,       // left and right mirrored
  kFlipPlus1,   // transposed
  kFlipMinus1,  // anti-transposed
};
inline constexpr int kDihedralCount = 8;

// "orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipplus1",
// "flipminus1": the reference's column names.
const char* DihedralName(Dihedral d);

// Hashes of the eight dihedral transforms of the image, from its DCT alone:
// a flip negates odd-frequency coefficients, a transpose swaps the indices.
std::array<PdqHash, kDihedralCount> DihedralHashesFromDct(const Dct16& dct);

}  // namespace bulwark::hash

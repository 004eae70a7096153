#include "bulwark/hash/pdq_dct.h"

#include <algorithm>
#include <cmath>

namespace bulwark::hash {
namespace {

using DctMatrix = std::array<std::array<float, 64>, 16>;

// Row i holds the basis function of frequency i+1 (the DC term is skipped).
// The reference rounds the scale to float, multiplies it by a double cosine
// in double, and rounds the product to float; we do the same.
DctMatrix MakeDctMatrix() {
  constexpr double kPi = 3.14159265358979323846;
  const float scale = std::sqrt(2.0 / 64.0);
  DctMatrix d;
  for (size_t i = 0; i < 16; ++i) {
    for (size_t j = 0; j < 64; ++j) {
      d[i][j] = static_cast<float>(
          scale * std::cos((kPi / 2.0 / 64.0) * static_cast<double>(i + 1) *
                           static_cast<double>(2 * j + 1)));
    }
  }
  return d;
}

const DctMatrix& Matrix() {
  static const DctMatrix m = MakeDctMatrix();
  return m;
}

// Quantised gradient exactly as the reference: float difference times 100,
// divided by 255 in float, truncated to int.
int Gradient(float u, float v) {
  int d = static_cast<int>(((u - v) * 100) / 255);
  return d < 0 ? -d : d;
}

}  // namespace

int PdqQuality(const Luma64& a) {
  int sum = 0;
  for (int i = 0; i < 63; ++i)
    for (int j = 0; j < 64; ++j) sum += Gradient(a[i][j], a[i + 1][j]);
  for (int i = 0; i < 64; ++i)
    for (int j = 0; j < 63; ++j) sum += Gradient(a[i][j], a[i][j + 1]);
  return std::min(sum / 90, 100);
}

void Dct64To16(const Luma64& a, Dct16& out) {
  const DctMatrix& d = Matrix();
  // T = D A: each T[i][j] accumulates over k = 0..63 in order, starting from
  // 0. The loop over j is innermost so the compiler can vectorise across
  // independent sums without reordering any one of them.
  float t[16][64];
  for (int i = 0; i < 16; ++i) {
    float acc[64] = {};
    for (int k = 0; k < 64; ++k) {
      const float dik = d[i][k];
      for (int j = 0; j < 64; ++j) acc[j] += dik * a[k][j];
    }
    std::copy(acc, acc + 64, t[i]);
  }
  // B = T D^T, again summing over k in order for each (i, j).
  for (int i = 0; i < 16; ++i) {
    float acc[16] = {};
    for (int k = 0; k < 64; ++k) {
      const float tik = t[i][k];
      for (int j = 0; j < 16; ++j) acc[j] += tik * d[j][k];
    }
    std::copy(acc, acc + 16, out[i]);
  }
}

PdqHash HashFromDct(const Dct16& dct) {
  // The reference takes Torben's median of the 256 values, which for an even
  // count is the lower median: the 128th smallest.
  std::array<float, 256> v;
  std::copy(&dct[0][0], &dct[0][0] + 256, v.begin());
  std::nth_element(v.begin(), v.begin() + 127, v.end());
  const float median = v[127];
  PdqHash h;
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j)
      if (dct[i][j] > median) h.set_bit(i * 16 + j);
  return h;
}

const char* DihedralName(Dihedral d) {
  switch (d) {
    case Dihedral::kOriginal:
      return "orig";
    case Dihedral::kRotate90:
      return "rot90";
    case Dihedral::kRotate180:
      return "rot180";
    case Dihedral::kRotate270:
      return "rot270";
    case Dihedral::kFlipX:
      return "flipx";
    case Dihedral::kFlipY:
      return "flipy";
    case Dihedral::kFlipPlus1:
      return "flipplus1";
    case Dihedral::kFlipMinus1:
      return "flipminus1";
  }
  return "unknown";
}

std::array<PdqHash, kDihedralCount> DihedralHashesFromDct(const Dct16& a) {
  // Coefficient index i stands for frequency i+1, so mirroring an axis
  // negates the coefficients with even i along it.
  struct Rule {
    bool transpose, negate_even_i, negate_even_j;
  };
  static constexpr Rule kRules[kDihedralCount] = {
      {false, false, false},  // orig
      {true, false, true},    // rot90
      {false, true, true},    // rot180
      {true, true, false},    // rot270
      {false, true, false},   // flipx
      {false, false, true},   // flipy
      {true, false, false},   // flipplus1
      {true, true, true},     // flipminus1
  };
  std::array<PdqHash, kDihedralCount> out;
  for (int r = 0; r < kDihedralCount; ++r) {
    const Rule& rule = kRules[r];
    float b[16][16];
    for (int i = 0; i < 16; ++i) {
      for (int j = 0; j < 16; ++j) {
        bool negate = (rule.negate_even_i && i % 2 == 0) !=
                      (rule.negate_even_j && j % 2 == 0);
        float v = negate ? -a[i][j] : a[i][j];
        if (rule.transpose) {
          b[j][i] = v;
        } else {
          b[i][j] = v;
        }
      }
    }
    out[r] = HashFromDct(b);
  }
  return out;
}

}  // namespace bulwark::hash

// The streaming blur+decimate of pdq_downsample.h as an AVX-512 kernel.
//
// The portable kernel runs 4 rows per SSE vector, its row passes bound by
// the latency of each lane's running sum (an add then a subtract per
// column), and moves samples between the row layout and the lane layout
// one element at a time. Here:
// * a block of kBlock = 64 rows runs at once (four 16-lane registers: four
//   independent running-sum chains; 32 measured the same at 0.6 MP);
// * the row filters take their input kChunk = 16 columns at a time,
//   produced just before use into a ring of window + kChunk columns, and
//   hand their output on 16 columns at a time, with 8x8 register
//   transposes between the layouts, so no full-width buffer in the lane
//   layout exists;
// * luma is computed 16 pixels at a time (one VBMI byte permute splits
//   R, G and B);
// * all buffers are uninitialised and 64-byte aligned.
// Every output value sees exactly the float operations of the portable
// kernel in the same order (SIMD lanes are independent IEEE single-precision
// operations, and -ffp-contract=off forbids fusing), so the bits are
// identical: only the schedule and the data layout differ.
//
// Internal to hash/: callers use DownsampleToLuma64 or PdqRowHasher.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "bulwark/hash/pdq_downsample.h"

namespace bulwark::hash::internal {

// True when the CPU runs AVX2 and AVX-512 F, BW and VBMI (checked once;
// e.g. AMD Zen 4, Intel Ice Lake and later) and the kernel has not been
// switched off for testing.
bool UseAvx512();
// Tests run the portable kernel on CPUs that have AVX-512 through this.
void SetAvx512EnabledForTesting(bool enabled);

// What a pixel's luma is: the Gray8 sample; the weighted sum of an RGB8
// pixel; or the R sample of an RGB8 image with R == G == B everywhere (see
// IsGrey).
enum class LumaSource { kGray8, kRgb, kRgbGrey };

// Pixel rows are pushed top to bottom, kBlock rows per call except the
// last; Finish() writes the 64x64 result. Only construct when UseAvx512().
// width and height >= 5.
class BlurAvx512 {
 public:
  static constexpr int kBlock = 64;  // rows per block (lanes)

  BlurAvx512(int width, int height, LumaSource source);

  // `count` rows starting at `rows`, `stride` bytes apart.
  void PushRows(const uint8_t* rows, size_t stride, int count);
  void Finish(Luma64& out);

 private:
  float* Ring1(int k) {
    return ring1_.get() + static_cast<size_t>(k % (col_w_ + kBlock)) * width_;
  }
  float* Ring2(int k) { return ring2_.get() + (k % (col_w_ + kBlock)) * 64; }
  void ColumnPush1();
  void EmitPass1(int o);
  void Pass2Block();
  void ColumnPush2();
  void EmitFinal(int o);

  // Uninitialised, 64-byte aligned (cache lines and zmm registers): the
  // buffers total several MB at 12 MP, and zero-filling them per image
  // cost more than the column filter.
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  using Buffer = std::unique_ptr<float[], Free>;
  static Buffer Allocate(size_t floats);

  int width_, height_;
  LumaSource source_;
  int rows_pushed_ = 0;
  int row_w_, row_half_;  // row window and its half, as BoxShape
  int col_w_, col_half_;  // column window and its half
  int sample_cols_[64], sample_rows_[64];

  // Pass 1: pixel rows -> luma in lanes -> row filter -> rows in ring1 ->
  // column filter.
  // The row filters' input, ring_cols_ columns of kBlock lanes (both
  // passes, one after the other).
  Buffer lanes_;
  int ring_cols_ = 0;
  Buffer ring1_;  // col_w_ + kBlock rows
  Buffer sums1_;
  int k1_ = 0, cws1_ = 0;

  // Pass 2: pass-1 output rows -> lanes -> sampled row filter -> rows of 64
  // in ring2 -> column filter -> sampled rows.
  Buffer pass2_rows_;  // kBlock rows of width_
  int pass2_count_ = 0;
  Buffer ring2_;  // col_w_ + kBlock rows of 64
  float sums2_[64] = {}, out2_[64] = {};
  float sampled_[64 * kBlock] = {};
  int k2_ = 0, cws2_ = 0;

  Buffer zero_, junk_;  // rows for unused lanes
  std::unique_ptr<uint8_t[]> zero_pixels_;
  int next_sample_row_ = 0;
  Luma64 result_ = {};
};

}  // namespace bulwark::hash::internal

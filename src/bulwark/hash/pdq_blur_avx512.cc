#include "bulwark/hash/pdq_blur_avx512.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstring>
#include <new>

// GCC 12's AVX-512 headers start some intrinsics from a deliberately
// undefined value, which -Wmaybe-uninitialized reports once inlined (see
// index/scan_kernels.cc).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// Every function that touches vectors carries the target attribute, and
// vectors pass by value only between such functions, so nothing here
// changes the ABI of code compiled for plain x86-64.
#define BULWARK_AVX512 [[gnu::target("avx2,avx512f,avx512bw,avx512vbmi")]]

namespace bulwark::hash::internal {
namespace {

constexpr int kB = BlurAvx512::kBlock;
// One column of a block in the lane layout: kB lanes, one row each (the row
// filter keeps kB / 16 zmm registers, so kB / 16 independent running-sum
// chains). Used for addressing; not every such array is vector-aligned.
typedef float vB __attribute__((vector_size(4 * kB), aligned(4)));

int WindowSize(int dim) { return (dim + 127) / 128; }

void SamplePositions(int dim, int* pos) {
  for (int i = 0; i < 64; ++i)
    pos[i] = static_cast<int>(((i + 0.5) * dim) / 64);
}

// The 8x8 transpose of r[0..7] in place.
BULWARK_AVX512 inline void Transpose8(__m256* r) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]);
  const __m256 t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]);
  const __m256 t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]);
  const __m256 t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]);
  const __m256 t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44);
  const __m256 u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44);
  const __m256 u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44);
  const __m256 u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44);
  const __m256 u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// lanes[k * kB + r] -> rows[r][k].
BULWARK_AVX512 void LanesToRows(const float* lanes, int width,
                                float* const* rows) {
  const int w8 = width & ~7;
  for (int g = 0; g < kB; g += 8) {
    for (int k = 0; k < w8; k += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i)
        r[i] = _mm256_loadu_ps(lanes + static_cast<size_t>(k + i) * kB + g);
      Transpose8(r);
      for (int i = 0; i < 8; ++i) _mm256_storeu_ps(rows[g + i] + k, r[i]);
    }
    for (int k = w8; k < width; ++k)
      for (int i = 0; i < 8; ++i)
        rows[g + i][k] = lanes[static_cast<size_t>(k) * kB + g + i];
  }
}

// Column filter step: sums += in, then sums -= old when old != nullptr.
BULWARK_AVX512 void AddRow(float* sums, const float* in, const float* old,
                           int n) {
  int j = 0;
  if (old == nullptr) {
    for (; j + 16 <= n; j += 16) {
      _mm512_storeu_ps(sums + j, _mm512_add_ps(_mm512_loadu_ps(sums + j),
                                               _mm512_loadu_ps(in + j)));
    }
    for (; j < n; ++j) sums[j] += in[j];
    return;
  }
  for (; j + 16 <= n; j += 16) {
    __m512 s =
        _mm512_add_ps(_mm512_loadu_ps(sums + j), _mm512_loadu_ps(in + j));
    s = _mm512_sub_ps(s, _mm512_loadu_ps(old + j));
    _mm512_storeu_ps(sums + j, s);
  }
  for (; j < n; ++j) {
    sums[j] += in[j];
    sums[j] -= old[j];
  }
}

BULWARK_AVX512 void SubRow(float* sums, const float* old, int n) {
  int j = 0;
  for (; j + 16 <= n; j += 16) {
    _mm512_storeu_ps(sums + j, _mm512_sub_ps(_mm512_loadu_ps(sums + j),
                                             _mm512_loadu_ps(old + j)));
  }
  for (; j < n; ++j) sums[j] -= old[j];
}

BULWARK_AVX512 void DivideRow(const float* sums, int count, float* out, int n) {
  const float c = static_cast<float>(count);
  const __m512 cv = _mm512_set1_ps(c);
  int j = 0;
  for (; j + 16 <= n; j += 16)
    _mm512_storeu_ps(out + j, _mm512_div_ps(_mm512_loadu_ps(sums + j), cv));
  for (; j < n; ++j) out[j] = sums[j] / c;
}

// The reference's coefficients (float constants): each product below is
// one float multiply of a coefficient by an exactly converted byte, and the
// three are summed left to right, as the portable kernel's tables do.
constexpr float kR = 0.299, kG = 0.587, kB_ = 0.114;

inline float Luma1(const uint8_t* p, int k, LumaSource source) {
  switch (source) {
    case LumaSource::kGray8:
      return static_cast<float>(p[k]);
    case LumaSource::kRgbGrey:
      return static_cast<float>(p[3 * k]);
    case LumaSource::kRgb:
      break;
  }
  return kR * static_cast<float>(p[3 * k]) +
         kG * static_cast<float>(p[3 * k + 1]) +
         kB_ * static_cast<float>(p[3 * k + 2]);
}

// Columns k0..k0+count-1 (count <= kChunk) of kB rows, as lane vectors:
// dst[i] holds column k0 + i. Sources: pixel rows (luma) and float rows.
// Full chunks go through registers, 16 pixels of 8 rows and two 8x8
// transposes at a time.
constexpr int kChunk = 16;

// Luma of 16 pixels (as Luma1): one byte permute splits the 48 bytes into
// R, G and B.
BULWARK_AVX512 inline __m512 Luma16(const uint8_t* p, LumaSource source) {
  if (source == LumaSource::kGray8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(v));
  }
  alignas(64) static constexpr uint8_t kSplit[64] = {
      0, 3, 6, 9,  12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45,
      1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46,
      2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47};
  // Masked: reads exactly the 48 bytes, never past the row.
  const __m512i raw = _mm512_maskz_loadu_epi8(0xFFFFFFFFFFFFull, p);
  const __m512i rgb = _mm512_permutexvar_epi8(
      _mm512_load_si512(reinterpret_cast<const void*>(kSplit)), raw);
  const __m512 r =
      _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(rgb)));
  if (source == LumaSource::kRgbGrey) return r;
  const __m512 g = _mm512_cvtepi32_ps(
      _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(rgb, 1)));
  const __m512 b = _mm512_cvtepi32_ps(
      _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(rgb, 2)));
  return _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(kR), r),
                                     _mm512_mul_ps(_mm512_set1_ps(kG), g)),
                       _mm512_mul_ps(_mm512_set1_ps(kB_), b));
}

// z[i] holds 16 columns of row i (i < 8): stores columns k..k+15 of the 8
// rows into lanes g..g+7 of d (kB floats per column).
BULWARK_AVX512 inline void Store16Columns(const __m512* z, float* d, int g) {
  __m256 lo[8], hi[8];
  for (int i = 0; i < 8; ++i) {
    lo[i] = _mm512_castps512_ps256(z[i]);
    hi[i] = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(z[i]), 1));
  }
  Transpose8(lo);
  Transpose8(hi);
  for (int i = 0; i < 8; ++i) {
    _mm256_storeu_ps(d + i * kB + g, lo[i]);
    _mm256_storeu_ps(d + (i + 8) * kB + g, hi[i]);
  }
}

struct LumaColumns {
  const uint8_t* const* rows;
  LumaSource source;
  int bpp;
  BULWARK_AVX512 void operator()(int k0, int count, vB* dst) const {
    float* d = reinterpret_cast<float*>(dst);
    for (int g = 0; g < kB; g += 8) {
      if (count == kChunk) {
        __m512 z[8];
        for (int i = 0; i < 8; ++i) {
          const uint8_t* p = rows[g + i] + bpp * k0;
          // kB rows are read side by side, more streams than the hardware
          // prefetcher follows: fetch a few chunks ahead by hand.
          _mm_prefetch(reinterpret_cast<const char*>(p) + 4 * 48, _MM_HINT_T0);
          z[i] = Luma16(p, source);
        }
        Store16Columns(z, d, g);
      } else {
        for (int i = 0; i < count; ++i)
          for (int r = 0; r < 8; ++r)
            d[i * kB + g + r] = Luma1(rows[g + r], k0 + i, source);
      }
    }
  }
};

struct FloatColumns {
  const float* const* rows;
  BULWARK_AVX512 void operator()(int k0, int count, vB* dst) const {
    float* d = reinterpret_cast<float*>(dst);
    for (int g = 0; g < kB; g += 8) {
      if (count == kChunk) {
        __m512 z[8];
        for (int i = 0; i < 8; ++i) z[i] = _mm512_loadu_ps(rows[g + i] + k0);
        Store16Columns(z, d, g);
      } else {
        for (int i = 0; i < count; ++i)
          for (int r = 0; r < 8; ++r) d[i * kB + g + r] = rows[g + r][k0 + i];
      }
    }
  }
};

// src[i] (column o0 + i, i < count <= kChunk, lanes = rows) ->
// rows[r][o0 + i].
BULWARK_AVX512 void ColumnsToRows(const vB* src, int o0, int count,
                                  float* const* rows) {
  const float* s = reinterpret_cast<const float*>(src);
  for (int g = 0; g < kB; g += 8) {
    if (count == kChunk) {
      for (int half = 0; half < kChunk; half += 8) {
        __m256 r[8];
        for (int i = 0; i < 8; ++i)
          r[i] = _mm256_loadu_ps(s + (half + i) * kB + g);
        Transpose8(r);
        for (int i = 0; i < 8; ++i)
          _mm256_storeu_ps(rows[g + i] + o0 + half, r[i]);
      }
    } else {
      for (int i = 0; i < count; ++i)
        for (int r = 0; r < 8; ++r) rows[g + r][o0 + i] = s[i * kB + g + r];
    }
  }
}

// RowFilter's output o = sum / count: at the sample columns into z, or
// into the chunk of columns that goes on to the rows when complete.
template <int kH>
[[gnu::always_inline]] BULWARK_AVX512 inline void EmitColumn(
    const __m512* sum, int cws, int o, const int* sample_cols, int& next,
    float* z, vB* chunk_v, float* const* out_rows) {
  const __m512 count = _mm512_set1_ps(static_cast<float>(cws));
  if (sample_cols != nullptr) {
    while (next < 64 && sample_cols[next] == o) {
      for (int h = 0; h < kH; ++h)
        _mm512_storeu_ps(z + next * kB + 16 * h, _mm512_div_ps(sum[h], count));
      ++next;
    }
    return;
  }
  float* chunk = reinterpret_cast<float*>(chunk_v);
  for (int h = 0; h < kH; ++h)
    _mm512_storeu_ps(chunk + (o % kChunk) * kB + 16 * h,
                     _mm512_div_ps(sum[h], count));
  if (o % kChunk == kChunk - 1)
    ColumnsToRows(chunk_v, o - (kChunk - 1), kChunk, out_rows);
}

// The reference row filter (RowBox in pdq_downsample.cc) on kB rows at
// once, over a row of n samples with window w: the same operations per
// lane in the same order (add the entering sample; subtract the leaving
// one once the window is full, else count it; divide). The input is
// produced kChunk columns at a time into `ring` (ring_cols >= w + kChunk
// columns, a multiple of kChunk) just before it is needed, and the output
// is handed on kChunk
// columns at a time, so neither exists at full width in the lane layout.
// With `sample_cols`, only those 64 output columns are divided and stored
// (z[j] = output sample_cols[j]); otherwise every output goes to out_rows.
template <typename Source>
BULWARK_AVX512 void RowFilter(const Source& source, int n, int w, int half,
                              vB* ring_v, int ring_cols, float* const* out_rows,
                              const int* sample_cols, vB* z_v) {
  // Explicit registers: GCC keeps a generic 32-float vector in memory,
  // which would put a store and a reload on every step of the chain.
  constexpr int kH = kB / 16;
  float* ring = reinterpret_cast<float*>(ring_v);
  float* z = reinterpret_cast<float*>(z_v);
  __m512 sum[kH];
  for (int h = 0; h < kH; ++h) sum[h] = _mm512_setzero_ps();
  vB chunk_v[kChunk];
  int cws = 0, next = 0;
  int base = 0;  // k0 % ring_cols
  for (int k0 = 0; k0 < n; k0 += kChunk, base += kChunk) {
    if (base == ring_cols) base = 0;
    const int count = std::min(kChunk, n - k0);
    source(k0, count, ring_v + base);
    for (int i = 0; i < count; ++i) {
      const int k = k0 + i;
      const float* in = ring + (base + i) * kB;
      for (int h = 0; h < kH; ++h)
        sum[h] = _mm512_add_ps(sum[h], _mm512_loadu_ps(in + 16 * h));
      if (k >= w) {
        int old = base + i - w;
        if (old < 0) old += ring_cols;
        const float* out = ring + old * kB;
        for (int h = 0; h < kH; ++h)
          sum[h] = _mm512_sub_ps(sum[h], _mm512_loadu_ps(out + 16 * h));
      } else {
        ++cws;
      }
      if (k >= half - 1)
        EmitColumn<kH>(sum, cws, k - half + 1, sample_cols, next, z, chunk_v,
                       out_rows);
    }
  }
  for (int t = 0; t < half - 1; ++t) {
    const float* out = ring + ((n - w + t) % ring_cols) * kB;
    for (int h = 0; h < kH; ++h)
      sum[h] = _mm512_sub_ps(sum[h], _mm512_loadu_ps(out + 16 * h));
    --cws;
    EmitColumn<kH>(sum, cws, n - half + 1 + t, sample_cols, next, z, chunk_v,
                   out_rows);
  }
  if (sample_cols == nullptr && n % kChunk != 0)
    ColumnsToRows(chunk_v, n - n % kChunk, n % kChunk, out_rows);
}

}  // namespace

namespace {
std::atomic<bool> g_enabled{true};
}  // namespace

bool UseAvx512() {
  static const bool have =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f");
  return have && g_enabled.load(std::memory_order_relaxed);
}

void SetAvx512EnabledForTesting(bool enabled) { g_enabled.store(enabled); }

BlurAvx512::Buffer BlurAvx512::Allocate(size_t floats) {
  const size_t bytes = (floats * sizeof(float) + 63) & ~size_t{63};
  auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
  if (p == nullptr) throw std::bad_alloc();
  return Buffer(p);
}

BlurAvx512::BlurAvx512(int width, int height, LumaSource source)
    : width_(width),
      height_(height),
      source_(source),
      row_w_(WindowSize(width)),
      row_half_((row_w_ + 2) / 2),
      col_w_(WindowSize(height)),
      col_half_((col_w_ + 2) / 2) {
  const size_t w = static_cast<size_t>(width);
  ring_cols_ = (row_w_ + kChunk + kChunk - 1) / kChunk * kChunk;
  lanes_ = Allocate(static_cast<size_t>(ring_cols_) * kB);
  ring1_ = Allocate((col_w_ + kB) * w);
  sums1_ = Allocate(w);
  pass2_rows_ = Allocate(kB * w);
  ring2_ = Allocate((col_w_ + kB) * 64);
  zero_ = Allocate(w);
  junk_ = Allocate(std::max<size_t>(w, 64));
  std::fill_n(sums1_.get(), w, 0.0f);
  std::fill_n(zero_.get(), w, 0.0f);
  zero_pixels_ = std::make_unique<uint8_t[]>(3 * w);
  SamplePositions(width, sample_cols_);
  SamplePositions(height, sample_rows_);
}

// Pass 1 on a block of pixel rows: luma and the row filter in lanes, then
// each row through the column filter.
void BlurAvx512::PushRows(const uint8_t* rows, size_t stride, int count) {
  const uint8_t* in_rows[kB];
  float* out_rows[kB];
  for (int r = 0; r < kB; ++r) {
    in_rows[r] = r < count ? rows + r * stride : zero_pixels_.get();
    out_rows[r] = r < count ? Ring1(k1_ + r) : junk_.get();
  }
  const LumaColumns luma{in_rows, source_,
                         source_ == LumaSource::kGray8 ? 1 : 3};
  RowFilter(luma, width_, row_w_, row_half_,
            reinterpret_cast<vB*>(lanes_.get()), ring_cols_, out_rows, nullptr,
            nullptr);
  for (int r = 0; r < count; ++r) ColumnPush1();
  rows_pushed_ += count;
}

// The reference column filter (ColumnBox::Push) for input row k1_.
void BlurAvx512::ColumnPush1() {
  const int k = k1_++;
  float* sums = sums1_.get();
  if (k < col_half_ - 1) {
    AddRow(sums, Ring1(k), nullptr, width_);
    ++cws1_;
  } else if (k < col_w_) {
    AddRow(sums, Ring1(k), nullptr, width_);
    ++cws1_;
    EmitPass1(k - col_half_ + 1);
  } else {
    AddRow(sums, Ring1(k), Ring1(k - col_w_), width_);
    EmitPass1(k - col_half_ + 1);
  }
}

// Pass-1 output rows arrive in order; pass 2 takes them kB at a time.
void BlurAvx512::EmitPass1(int) {
  DivideRow(sums1_.get(), cws1_,
            pass2_rows_.get() + static_cast<size_t>(pass2_count_) * width_,
            width_);
  if (++pass2_count_ == kB) Pass2Block();
}

void BlurAvx512::Pass2Block() {
  const int count = pass2_count_;
  if (count == 0) return;
  const float* in_rows[kB];
  for (int r = 0; r < kB; ++r) {
    in_rows[r] = r < count ? pass2_rows_.get() + static_cast<size_t>(r) * width_
                           : zero_.get();
  }
  RowFilter(FloatColumns{in_rows}, width_, row_w_, row_half_,
            reinterpret_cast<vB*>(lanes_.get()), ring_cols_, nullptr,
            sample_cols_, reinterpret_cast<vB*>(sampled_));
  // sampled_[j * kB + r] -> row r's 64 samples, straight into ring2.
  float* rows[kB];
  for (int r = 0; r < kB; ++r)
    rows[r] = r < count ? Ring2(k2_ + r) : junk_.get();
  LanesToRows(sampled_, 64, rows);
  for (int r = 0; r < count; ++r) ColumnPush2();
  pass2_count_ = 0;
}

void BlurAvx512::ColumnPush2() {
  const int k = k2_++;
  if (k < col_half_ - 1) {
    AddRow(sums2_, Ring2(k), nullptr, 64);
    ++cws2_;
  } else if (k < col_w_) {
    AddRow(sums2_, Ring2(k), nullptr, 64);
    ++cws2_;
    EmitFinal(k - col_half_ + 1);
  } else {
    AddRow(sums2_, Ring2(k), Ring2(k - col_w_), 64);
    EmitFinal(k - col_half_ + 1);
  }
}

void BlurAvx512::EmitFinal(int o) {
  if (next_sample_row_ >= 64 || sample_rows_[next_sample_row_] != o) return;
  DivideRow(sums2_, cws2_, out2_, 64);
  while (next_sample_row_ < 64 && sample_rows_[next_sample_row_] == o) {
    std::memcpy(result_[next_sample_row_], out2_, sizeof(out2_));
    ++next_sample_row_;
  }
}

void BlurAvx512::Finish(Luma64& out) {
  assert(rows_pushed_ == height_);
  for (int t = 0; t < col_half_ - 1; ++t) {
    SubRow(sums1_.get(), Ring1(height_ - col_w_ + t), width_);
    --cws1_;
    EmitPass1(height_ - col_half_ + 1 + t);
  }
  Pass2Block();
  for (int t = 0; t < col_half_ - 1; ++t) {
    SubRow(sums2_, Ring2(height_ - col_w_ + t), 64);
    --cws2_;
    EmitFinal(height_ - col_half_ + 1 + t);
  }
  std::memcpy(out, result_, sizeof(result_));
}

}  // namespace bulwark::hash::internal

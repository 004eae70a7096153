#include "bulwark/hash/pdq_downsample.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "bulwark/hash/pdq_blur_avx512.h"

namespace bulwark::hash {
namespace {

// kLanes independent float lanes, one image row per lane in the row passes:
// one SSE register, which every x86-64 CPU has. (An 8-lane AVX2 build of
// this file measured only 6% faster: the lanes are not what limits it. The
// AVX-512 kernel, pdq_blur_avx512.h, replaces this one where it runs.) GCC
// lowers vector operations lane by lane to IEEE single precision, so results
// equal scalar code exactly; -ffp-contract=off keeps multiplies and adds
// unfused.
constexpr int kLanes = 4;
using vf = float __attribute__((vector_size(4 * kLanes)));

// The reference's coefficients are float constants; products of a float and
// a byte are exact per-byte values, so tables give identical results.
struct LumaTables {
  std::array<float, 256> r, g, b;
};
constexpr LumaTables MakeLumaTables() {
  LumaTables t{};
  const float kR = 0.299, kG = 0.587, kB = 0.114;
  for (int v = 0; v < 256; ++v) {
    t.r[v] = kR * static_cast<float>(v);
    t.g[v] = kG * static_cast<float>(v);
    t.b[v] = kB * static_cast<float>(v);
  }
  return t;
}
constexpr LumaTables kLuma = MakeLumaTables();

// Reference: (dim + 2*64 - 1) / (2*64).
int WindowSize(int dim) { return (dim + 127) / 128; }

// Reference decimation: sample centres, computed in double.
std::array<int, 64> SamplePositions(int dim) {
  std::array<int, 64> pos;
  for (int i = 0; i < 64; ++i)
    pos[i] = static_cast<int>(((i + 0.5) * dim) / 64);
  return pos;
}

// One 1-D box pass along a line of n samples with window w, as the
// reference's box1DFloat: outputs 0..n-1 are emitted as samples arrive.
// Output o is ready after sample k = o + half - 1 arrives; the last half-1
// outputs come from Finish-style draining.
struct BoxShape {
  int n, w, half;
  BoxShape(int n_, int w_) : n(n_), w(w_), half((w_ + 2) / 2) {}
};

// Runs the reference row filter on kLanes rows at once; x holds n vectors,
// lane r holding row r. For each output column o it calls
// emit(o, sum, count); the output value is sum / count, left to the caller
// so that the second pass can skip the division where decimation drops the
// column.
template <typename Emit>
void RowBox(const vf* x, const BoxShape& s, Emit&& emit) {
  vf sum = {};
  int cws = 0, k = 0;
  for (; k < s.half - 1; ++k) {
    sum += x[k];
    ++cws;
  }
  for (; k < s.w; ++k) {
    sum += x[k];
    ++cws;
    emit(k - s.half + 1, sum, static_cast<float>(cws));
  }
  const float full = static_cast<float>(cws);
  for (; k < s.n; ++k) {
    sum += x[k];
    sum -= x[k - s.w];
    emit(k - s.half + 1, sum, full);
  }
  for (int t = 0; t < s.half - 1; ++t) {
    sum -= x[s.n - s.w + t];
    --cws;
    emit(s.n - s.half + 1 + t, sum, static_cast<float>(cws));
  }
}

// Every output: y[o].
void RowBoxAll(const vf* x, const BoxShape& s, vf* y) {
  RowBox(x, s, [y](int o, vf sum, float count) { y[o] = sum / count; });
}

// Only the outputs at the 64 sample columns (ascending, possibly repeated):
// z[j] gets output cols[j].
void RowBoxSampled(const vf* x, const BoxShape& s,
                   const std::array<int, 64>& cols, vf* z) {
  int next = 0;
  RowBox(x, s, [&](int o, vf sum, float count) {
    while (next < 64 && cols[next] == o) z[next++] = sum / count;
  });
}

// The reference column filter over all columns of a width-wide image at
// once, fed one row at a time. Keeps the last w+1 input rows so the row
// leaving the window is still there when the new one arrives.
class ColumnBox {
 public:
  ColumnBox(int n_rows, int w, int width)
      : s_(n_rows, w),
        width_(width),
        sums_(width, 0.0f),
        out_(width),
        ring_(static_cast<size_t>(w + 1) * width) {}

  // Where the caller writes input row k (the next one) before Push().
  float* NextSlot() { return Slot(k_); }

  // Consumes the row written to NextSlot(); calls emit(o, row) for each
  // output row o that becomes ready.
  template <typename Emit>
  void Push(Emit&& emit) {
    const float* in = Slot(k_);
    float* sums = sums_.data();
    if (k_ < s_.half - 1) {
      for (int j = 0; j < width_; ++j) sums[j] += in[j];
      ++cws_;
    } else if (k_ < s_.w) {
      for (int j = 0; j < width_; ++j) sums[j] += in[j];
      ++cws_;
      EmitRow(k_ - s_.half + 1, emit);
    } else {
      const float* old = Slot(k_ - s_.w);
      for (int j = 0; j < width_; ++j) {
        sums[j] += in[j];
        sums[j] -= old[j];
      }
      EmitRow(k_ - s_.half + 1, emit);
    }
    ++k_;
  }

  // After all n rows: the trailing outputs with a shrinking window.
  template <typename Emit>
  void Finish(Emit&& emit) {
    float* sums = sums_.data();
    for (int t = 0; t < s_.half - 1; ++t) {
      const float* old = Slot(s_.n - s_.w + t);
      for (int j = 0; j < width_; ++j) sums[j] -= old[j];
      --cws_;
      EmitRow(s_.n - s_.half + 1 + t, emit);
    }
  }

 private:
  float* Slot(int k) {
    return ring_.data() + static_cast<size_t>(k % (s_.w + 1)) * width_;
  }
  template <typename Emit>
  void EmitRow(int o, Emit& emit) {
    const float count = static_cast<float>(cws_);
    for (int j = 0; j < width_; ++j) out_[j] = sums_[j] / count;
    emit(o, out_.data());
  }

  BoxShape s_;
  int width_;
  int k_ = 0;
  int cws_ = 0;
  std::vector<float> sums_, out_, ring_;
};

// Fills lanes 0..count-1 of x (w vectors) with the luma of rows y0.. of img.
void FillLumaLanes(const media::Image& img, bool grey, int y0, int count,
                   vf* x) {
  const int w = img.width;
  for (int r = 0; r < count; ++r) {
    const uint8_t* p = img.row(y0 + r);
    if (img.format == media::PixelFormat::kGray8) {
      for (int k = 0; k < w; ++k) x[k][r] = static_cast<float>(p[k]);
    } else if (grey) {
      for (int k = 0; k < w; ++k) x[k][r] = static_cast<float>(p[3 * k]);
    } else {
      for (int k = 0; k < w; ++k) {
        x[k][r] =
            kLuma.r[p[3 * k]] + kLuma.g[p[3 * k + 1]] + kLuma.b[p[3 * k + 2]];
      }
    }
  }
}

void Passthrough64(const media::Image& img, bool grey, Luma64& out) {
  std::vector<vf> x(64);
  for (int y0 = 0; y0 < 64; y0 += kLanes) {
    FillLumaLanes(img, grey, y0, kLanes, x.data());
    for (int r = 0; r < kLanes; ++r)
      for (int k = 0; k < 64; ++k) out[y0 + r][k] = x[k][r];
  }
}

}  // namespace

void DownsampleToLuma64(const media::Image& img, bool use_grey_value,
                        bool allow_passthrough, Luma64& out) {
  const int width = img.width, height = img.height;
  if (allow_passthrough && width == 64 && height == 64) {
    Passthrough64(img, use_grey_value, out);
    return;
  }
  // The same bits from the AVX-512 kernel where the CPU has it.
  if (internal::UseAvx512()) {
    using internal::LumaSource;
    internal::BlurAvx512 blur(width, height,
                              img.format == media::PixelFormat::kGray8
                                  ? LumaSource::kGray8
                              : use_grey_value ? LumaSource::kRgbGrey
                                               : LumaSource::kRgb);
    for (int y = 0; y < height; y += internal::BlurAvx512::kBlock) {
      blur.PushRows(img.row(y), img.row_bytes(),
                    std::min(internal::BlurAvx512::kBlock, height - y));
    }
    blur.Finish(out);
    return;
  }
  const BoxShape row_shape(width, WindowSize(width));
  const int col_window = WindowSize(height);
  const std::array<int, 64> sample_cols = SamplePositions(width);
  const std::array<int, 64> sample_rows = SamplePositions(height);

  // Pass 1 (rows, then columns) runs over every pixel; pass 2 only needs
  // the 64 sample columns of each row and the 64 sample rows of those.
  ColumnBox cols1(height, col_window, width);
  ColumnBox cols2(height, col_window, 64);
  std::vector<vf> lanes_in(width), lanes_out(width), pass2_in(width);
  std::array<vf, 64> pass2_out;
  int pass2_count = 0;  // rows gathered in pass2_in
  int pass2_first = 0;  // output row index of lane 0
  int next_sample_row = 0;

  auto emit_final = [&](int o, const float* row) {
    while (next_sample_row < 64 && sample_rows[next_sample_row] == o) {
      std::memcpy(out[next_sample_row], row, 64 * sizeof(float));
      ++next_sample_row;
    }
  };
  auto flush_pass2 = [&]() {
    if (pass2_count == 0) return;
    RowBoxSampled(pass2_in.data(), row_shape, sample_cols, pass2_out.data());
    for (int r = 0; r < pass2_count; ++r) {
      float* slot = cols2.NextSlot();
      for (int j = 0; j < 64; ++j) slot[j] = pass2_out[j][r];
      cols2.Push(emit_final);
    }
    pass2_count = 0;
  };
  auto emit_pass1 = [&](int o, const float* row) {
    if (pass2_count == 0) pass2_first = o;
    const int lane = o - pass2_first;
    for (int k = 0; k < width; ++k) pass2_in[k][lane] = row[k];
    if (++pass2_count == kLanes) flush_pass2();
  };

  for (int y0 = 0; y0 < height; y0 += kLanes) {
    const int count = std::min(kLanes, height - y0);
    FillLumaLanes(img, use_grey_value, y0, count, lanes_in.data());
    RowBoxAll(lanes_in.data(), row_shape, lanes_out.data());
    for (int r = 0; r < count; ++r) {
      float* slot = cols1.NextSlot();
      for (int k = 0; k < width; ++k) slot[k] = lanes_out[k][r];
      cols1.Push(emit_pass1);
    }
  }
  cols1.Finish(emit_pass1);
  flush_pass2();
  cols2.Finish(emit_final);
}

}  // namespace bulwark::hash

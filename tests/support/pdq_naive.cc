#include "support/pdq_naive.h"

#include <vector>

namespace bulwark::testing {
namespace {

// Running-sum box filter over one line; see PDQ's description: windows are
// clipped at the ends, and the sum is updated add-then-subtract.
void Box1D(const float* in, float* out, int n, int stride, int window) {
  const int half = (window + 2) / 2;
  float sum = 0;
  int count = 0;
  int read = 0, leave = 0, write = 0;
  for (int i = 0; i < half - 1; ++i) {
    sum += in[read * stride];
    ++count;
    ++read;
  }
  for (int i = 0; i < window - half + 1; ++i) {
    sum += in[read * stride];
    ++count;
    out[write * stride] = sum / count;
    ++read;
    ++write;
  }
  for (int i = 0; i < n - window; ++i) {
    sum += in[read * stride];
    sum -= in[leave * stride];
    out[write * stride] = sum / count;
    ++read;
    ++leave;
    ++write;
  }
  for (int i = 0; i < half - 1; ++i) {
    sum -= in[leave * stride];
    --count;
    out[write * stride] = sum / count;
    ++leave;
    ++write;
  }
}

}  // namespace

hash::PdqResult NaivePdq(const media::Image& image) {
  const int rows = image.height, cols = image.width;
  const bool grey = hash::IsGrey(image);
  std::vector<float> a(static_cast<size_t>(rows) * cols), b(a.size());
  for (int i = 0; i < rows; ++i) {
    const uint8_t* p = image.row(i);
    for (int j = 0; j < cols; ++j) {
      if (image.format == media::PixelFormat::kGray8) {
        a[i * cols + j] = p[j];
      } else if (grey) {
        a[i * cols + j] = p[3 * j];
      } else {
        const float r = 0.299f, g = 0.587f, bl = 0.114f;
        a[i * cols + j] = r * p[3 * j] + g * p[3 * j + 1] + bl * p[3 * j + 2];
      }
    }
  }
  hash::Luma64 luma;
  if (rows == 64 && cols == 64) {
    for (int i = 0; i < 64; ++i)
      for (int j = 0; j < 64; ++j) luma[i][j] = a[i * 64 + j];
  } else {
    const int wr = (cols + 127) / 128, wc = (rows + 127) / 128;
    for (int pass = 0; pass < 2; ++pass) {
      for (int i = 0; i < rows; ++i)
        Box1D(&a[i * cols], &b[i * cols], cols, 1, wr);
      for (int j = 0; j < cols; ++j) Box1D(&b[j], &a[j], rows, cols, wc);
    }
    for (int i = 0; i < 64; ++i) {
      const int si = static_cast<int>(((i + 0.5) * rows) / 64);
      for (int j = 0; j < 64; ++j) {
        const int sj = static_cast<int>(((j + 0.5) * cols) / 64);
        luma[i][j] = a[si * cols + sj];
      }
    }
  }
  hash::PdqResult r;
  r.quality = hash::PdqQuality(luma);
  hash::Dct16 dct;
  hash::Dct64To16(luma, dct);
  r.hash = hash::HashFromDct(dct);
  return r;
}

}  // namespace bulwark::testing

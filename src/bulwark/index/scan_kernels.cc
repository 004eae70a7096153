#include "bulwark/index/scan_kernels.h"

#include <immintrin.h>

#include <algorithm>

// GCC 12's own AVX-512 headers start some intrinsics from a deliberately
// undefined value (_mm512_undefined_epi32), which -Wmaybe-uninitialized
// reports once inlined; the result never depends on it. (Clang has no such
// warning, and -Werror rejects unknown ones.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace bulwark::index {

namespace {

// 1024 codes = 32 KiB: fits L1d (48 KiB on the target machine) next to the
// queries being streamed through it.
constexpr size_t kBlock = 1024;

void ScanPortable(const Code256* codes, size_t n, uint32_t base,
                  const Code256* queries, size_t nq, int radius,
                  std::vector<PdqHit>* out) {
  for (size_t q = 0; q < nq; ++q) {
    for (size_t i = 0; i < n; ++i) {
      const int d = Distance(codes[i], queries[q]);
      if (d <= radius) out[q].push_back({base + static_cast<uint32_t>(i), d});
    }
  }
}

// AVX2 has no vector popcount: count each nibble through a 16-entry
// table (PSHUFB), add the two halves and sum bytes per 64-bit word (PSADBW).
[[gnu::target("avx2")]] inline __m256i WordCounts(__m256i x, __m256i table,
                                                  __m256i low4) {
  const __m256i lo = _mm256_and_si256(x, low4);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), low4);
  const __m256i bytes = _mm256_add_epi8(_mm256_shuffle_epi8(table, lo),
                                        _mm256_shuffle_epi8(table, hi));
  return _mm256_sad_epu8(bytes, _mm256_setzero_si256());
}

[[gnu::target("avx2,popcnt")]] void ScanAvx2(const Code256* codes, size_t n,
                                             uint32_t base,
                                             const Code256* queries, size_t nq,
                                             int radius,
                                             std::vector<PdqHit>* out) {
  const __m256i table =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                       2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  const __m256i limit = _mm256_set1_epi64x(radius);
  const size_t n4 = n & ~size_t{3};
  for (size_t q = 0; q < nq; ++q) {
    const __m256i qv =
        _mm256_load_si256(reinterpret_cast<const __m256i*>(queries[q].w));
    for (size_t i = 0; i < n4; i += 4) {
      const __m256i* p = reinterpret_cast<const __m256i*>(codes[i].w);
      const __m256i a =
          WordCounts(_mm256_xor_si256(_mm256_load_si256(p), qv), table, low4);
      const __m256i b = WordCounts(
          _mm256_xor_si256(_mm256_load_si256(p + 1), qv), table, low4);
      const __m256i c = WordCounts(
          _mm256_xor_si256(_mm256_load_si256(p + 2), qv), table, low4);
      const __m256i d = WordCounts(
          _mm256_xor_si256(_mm256_load_si256(p + 3), qv), table, low4);
      // a = [a0 a1 a2 a3] word counts; fold to [a b c d] code distances.
      const __m256i ab = _mm256_add_epi64(_mm256_unpacklo_epi64(a, b),
                                          _mm256_unpackhi_epi64(a, b));
      const __m256i cd = _mm256_add_epi64(_mm256_unpacklo_epi64(c, d),
                                          _mm256_unpackhi_epi64(c, d));
      const __m256i dist =
          _mm256_add_epi64(_mm256_permute2x128_si256(ab, cd, 0x20),
                           _mm256_permute2x128_si256(ab, cd, 0x31));
      const int over = _mm256_movemask_pd(
          _mm256_castsi256_pd(_mm256_cmpgt_epi64(dist, limit)));
      if (over != 0xf) [[unlikely]] {
        alignas(32) int64_t ds[4];
        _mm256_store_si256(reinterpret_cast<__m256i*>(ds), dist);
        for (int k = 0; k < 4; ++k) {
          if (!(over >> k & 1)) {
            out[q].push_back(
                {base + static_cast<uint32_t>(i + k), static_cast<int>(ds[k])});
          }
        }
      }
    }
    for (size_t i = n4; i < n; ++i) {
      const int d = Distance(codes[i], queries[q]);
      if (d <= radius) out[q].push_back({base + static_cast<uint32_t>(i), d});
    }
  }
}

// Eight codes are four registers of two codes each. After XOR and VPOPCNTQ
// every lane holds one word's count; two unpack/add rounds and a 128-bit
// shuffle fold them into eight distances, whose lane L belongs to code
// kLaneCode[L]. Four queries share each load of the codes.
constexpr int kLaneCode[8] = {0, 2, 1, 3, 4, 6, 5, 7};

[[gnu::target("avx512f,avx512vpopcntdq")]] inline __m512i Distances8(
    __m512i a, __m512i b, __m512i c, __m512i d, __m512i q) {
  a = _mm512_popcnt_epi64(_mm512_xor_si512(a, q));
  b = _mm512_popcnt_epi64(_mm512_xor_si512(b, q));
  c = _mm512_popcnt_epi64(_mm512_xor_si512(c, q));
  d = _mm512_popcnt_epi64(_mm512_xor_si512(d, q));
  const __m512i ab = _mm512_add_epi64(_mm512_unpacklo_epi64(a, b),
                                      _mm512_unpackhi_epi64(a, b));
  const __m512i cd = _mm512_add_epi64(_mm512_unpacklo_epi64(c, d),
                                      _mm512_unpackhi_epi64(c, d));
  return _mm512_add_epi64(
      _mm512_shuffle_i64x2(ab, cd, _MM_SHUFFLE(2, 0, 2, 0)),
      _mm512_shuffle_i64x2(ab, cd, _MM_SHUFFLE(3, 1, 3, 1)));
}

[[gnu::target("avx512f,avx512vpopcntdq,popcnt")]] void EmitLanes(
    __mmask8 hits, __m512i dist, size_t i, uint32_t base,
    std::vector<PdqHit>& out) {
  alignas(64) int64_t ds[8];
  _mm512_store_si512(ds, dist);
  while (hits) {
    const int lane = __builtin_ctz(hits);
    hits &= hits - 1;
    out.push_back({base + static_cast<uint32_t>(i + kLaneCode[lane]),
                   static_cast<int>(ds[lane])});
  }
}

[[gnu::target("avx512f,avx512vpopcntdq,popcnt")]] void ScanAvx512(
    const Code256* codes, size_t n, uint32_t base, const Code256* queries,
    size_t nq, int radius, std::vector<PdqHit>* out) {
  const __m512i limit = _mm512_set1_epi64(radius);
  const size_t n8 = n & ~size_t{7};
  for (size_t q = 0; q < nq; q += 4) {
    // A short last group repeats its last query; those hits are dropped.
    const size_t live = std::min<size_t>(4, nq - q);
    __m512i qv[4];
    for (size_t k = 0; k < 4; ++k) {
      const size_t src = q + std::min(k, live - 1);
      qv[k] = _mm512_broadcast_i64x4(
          _mm256_load_si256(reinterpret_cast<const __m256i*>(queries[src].w)));
    }
    for (size_t i = 0; i < n8; i += 8) {
      const __m512i* p = reinterpret_cast<const __m512i*>(codes[i].w);
      const __m512i a = _mm512_load_si512(p), b = _mm512_load_si512(p + 1),
                    c = _mm512_load_si512(p + 2), d = _mm512_load_si512(p + 3);
      const __m512i d0 = Distances8(a, b, c, d, qv[0]);
      const __m512i d1 = Distances8(a, b, c, d, qv[1]);
      const __m512i d2 = Distances8(a, b, c, d, qv[2]);
      const __m512i d3 = Distances8(a, b, c, d, qv[3]);
      const __mmask8 m0 = _mm512_cmple_epu64_mask(d0, limit);
      const __mmask8 m1 = _mm512_cmple_epu64_mask(d1, limit);
      const __mmask8 m2 = _mm512_cmple_epu64_mask(d2, limit);
      const __mmask8 m3 = _mm512_cmple_epu64_mask(d3, limit);
      if ((m0 | m1 | m2 | m3) != 0) [[unlikely]] {
        if (m0) EmitLanes(m0, d0, i, base, out[q]);
        if (m1 && live > 1) EmitLanes(m1, d1, i, base, out[q + 1]);
        if (m2 && live > 2) EmitLanes(m2, d2, i, base, out[q + 2]);
        if (m3 && live > 3) EmitLanes(m3, d3, i, base, out[q + 3]);
      }
    }
    for (size_t k = 0; k < live; ++k) {
      for (size_t i = n8; i < n; ++i) {
        const int dd = Distance(codes[i], queries[q + k]);
        if (dd <= radius) {
          out[q + k].push_back({base + static_cast<uint32_t>(i), dd});
        }
      }
    }
  }
}

using KernelFn = void (*)(const Code256*, size_t, uint32_t, const Code256*,
                          size_t, int, std::vector<PdqHit>*);

KernelFn Function(ScanKernel kernel) {
  switch (kernel) {
    case ScanKernel::kAvx512:
      return ScanAvx512;
    case ScanKernel::kAvx2:
      return ScanAvx2;
    case ScanKernel::kPortable:
      break;
  }
  return ScanPortable;
}

}  // namespace

const char* ScanKernelName(ScanKernel kernel) {
  switch (kernel) {
    case ScanKernel::kAvx512:
      return "avx512";
    case ScanKernel::kAvx2:
      return "avx2";
    case ScanKernel::kPortable:
      break;
  }
  return "portable";
}

bool ScanKernelSupported(ScanKernel kernel) {
  switch (kernel) {
    case ScanKernel::kAvx512:
      return __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512vpopcntdq") &&
             __builtin_cpu_supports("popcnt");
    case ScanKernel::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    case ScanKernel::kPortable:
      break;
  }
  return true;
}

ScanKernel BestScanKernel() {
  static const ScanKernel best = [] {
    if (ScanKernelSupported(ScanKernel::kAvx512)) return ScanKernel::kAvx512;
    if (ScanKernelSupported(ScanKernel::kAvx2)) return ScanKernel::kAvx2;
    return ScanKernel::kPortable;
  }();
  return best;
}

void ScanCodes(ScanKernel kernel, const Code256* codes, size_t n,
               uint32_t code_base, const Code256* queries, size_t nq,
               int radius, std::vector<PdqHit>* out) {
  if (radius < 0 || nq == 0) return;
  const KernelFn fn = Function(kernel);
  for (size_t b = 0; b < n; b += kBlock) {
    fn(codes + b, std::min(kBlock, n - b), code_base + static_cast<uint32_t>(b),
       queries, nq, radius, out);
  }
}

}  // namespace bulwark::index

#include "bulwark/hash/digest_fused.h"

#include <cpuid.h>
#include <immintrin.h>

#include <cmath>
#include <cstring>

#define BULWARK_SHA [[gnu::target("sha,sse4.1,ssse3")]]

namespace bulwark::hash {
namespace {

// --- MD5 (RFC 1321), plain C: scalar integer operations only. ---

struct Md5Table {
  uint32_t t[64];
  Md5Table() {
    // T[i] = floor(2^32 * |sin(i + 1)|), as RFC 1321 defines it; double
    // precision gives every entry exactly (the tests compare with OpenSSL).
    for (int i = 0; i < 64; ++i) {
      t[i] = static_cast<uint32_t>(
          std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
    }
  }
};
const Md5Table kMd5;

inline uint32_t Rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

[[gnu::always_inline]] inline void Md5Block(uint32_t st[4], const uint8_t* p) {
  uint32_t x[16];
  std::memcpy(x, p, 64);  // little-endian words (x86)
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  const uint32_t* t = kMd5.t;
// The message word and constant are added first, off the chain through b.
#define BULWARK_MD5_STEP(f, a, b, c, d, k, i, s) \
  a += x[k] + t[i];                              \
  a += f(b, c, d);                               \
  a = Rotl(a, s) + b;
// G = (b & d) | (c & ~d), and the two terms share no bits, so it is their
// sum: only b & d waits for b.
#define BULWARK_MD5_STEP_G(a, b, c, d, k, i, s) \
  a += x[k] + t[i] + (c & ~d);                  \
  a += b & d;                                   \
  a = Rotl(a, s) + b;
#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
  for (int i = 0; i < 16; i += 4) {
    BULWARK_MD5_STEP(F, a, b, c, d, i, i, 7)
    BULWARK_MD5_STEP(F, d, a, b, c, i + 1, i + 1, 12)
    BULWARK_MD5_STEP(F, c, d, a, b, i + 2, i + 2, 17)
    BULWARK_MD5_STEP(F, b, c, d, a, i + 3, i + 3, 22)
  }
  for (int i = 16; i < 32; i += 4) {
    BULWARK_MD5_STEP_G(a, b, c, d, (5 * i + 1) % 16, i, 5)
    BULWARK_MD5_STEP_G(d, a, b, c, (5 * i + 6) % 16, i + 1, 9)
    BULWARK_MD5_STEP_G(c, d, a, b, (5 * i + 11) % 16, i + 2, 14)
    BULWARK_MD5_STEP_G(b, c, d, a, (5 * i + 16) % 16, i + 3, 20)
  }
  for (int i = 32; i < 48; i += 4) {
    BULWARK_MD5_STEP(H, a, b, c, d, (3 * i + 5) % 16, i, 4)
    BULWARK_MD5_STEP(H, d, a, b, c, (3 * i + 8) % 16, i + 1, 11)
    BULWARK_MD5_STEP(H, c, d, a, b, (3 * i + 11) % 16, i + 2, 16)
    BULWARK_MD5_STEP(H, b, c, d, a, (3 * i + 14) % 16, i + 3, 23)
  }
  for (int i = 48; i < 64; i += 4) {
    BULWARK_MD5_STEP(I, a, b, c, d, (7 * i) % 16, i, 6)
    BULWARK_MD5_STEP(I, d, a, b, c, (7 * i + 7) % 16, i + 1, 10)
    BULWARK_MD5_STEP(I, c, d, a, b, (7 * i + 14) % 16, i + 2, 15)
    BULWARK_MD5_STEP(I, b, c, d, a, (7 * i + 21) % 16, i + 3, 21)
  }
#undef F
#undef H
#undef I
#undef BULWARK_MD5_STEP
#undef BULWARK_MD5_STEP_G
  st[0] += a;
  st[1] += b;
  st[2] += c;
  st[3] += d;
}

// --- SHA-1 and SHA-256 with the SHA extensions (the usual formulation of
// Intel's white paper). States stay in the instructions' lane order
// between blocks. ---

struct Sha1State {
  __m128i abcd, e;
};

BULWARK_SHA inline void Sha1Block(Sha1State& s, const uint8_t* p) {
  const __m128i mask =
      _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  const __m128i abcd_save = s.abcd, e_save = s.e;
  __m128i w[4];
  __m128i abcd = s.abcd, prev = s.abcd, e;
#pragma GCC unroll 20
  for (int i = 0; i < 20; ++i) {
    __m128i& wi = w[i % 4];
    if (i < 4) {
      wi = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), mask);
    } else {
      wi = _mm_sha1msg2_epu32(
          _mm_xor_si128(_mm_sha1msg1_epu32(wi, w[(i - 3) % 4]), w[(i - 2) % 4]),
          w[(i - 1) % 4]);
    }
    e = i == 0 ? _mm_add_epi32(s.e, wi) : _mm_sha1nexte_epu32(prev, wi);
    prev = abcd;
    switch (i / 5) {
      case 0:
        abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
        break;
      case 1:
        abcd = _mm_sha1rnds4_epu32(abcd, e, 1);
        break;
      case 2:
        abcd = _mm_sha1rnds4_epu32(abcd, e, 2);
        break;
      default:
        abcd = _mm_sha1rnds4_epu32(abcd, e, 3);
        break;
    }
  }
  s.e = _mm_sha1nexte_epu32(prev, e_save);
  s.abcd = _mm_add_epi32(abcd, abcd_save);
}

struct Sha256State {
  __m128i abef, cdgh;
};

alignas(16) const uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

BULWARK_SHA inline void Sha256Block(Sha256State& s, const uint8_t* p) {
  const __m128i mask =
      _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i st0 = s.abef, st1 = s.cdgh;
  __m128i w[4];
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    __m128i& wi = w[i % 4];
    if (i < 4) {
      wi = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), mask);
    } else {
      wi = _mm_sha256msg2_epu32(
          _mm_add_epi32(_mm_sha256msg1_epu32(wi, w[(i - 3) % 4]),
                        _mm_alignr_epi8(w[(i - 1) % 4], w[(i - 2) % 4], 4)),
          w[(i - 1) % 4]);
    }
    __m128i msg = _mm_add_epi32(
        wi, _mm_load_si128(reinterpret_cast<const __m128i*>(kSha256K + 4 * i)));
    st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
    msg = _mm_shuffle_epi32(msg, 0x0E);
    st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
  }
  s.abef = _mm_add_epi32(st0, s.abef);
  s.cdgh = _mm_add_epi32(st1, s.cdgh);
}

// All three over the whole blocks of `p`: the loop that overlaps them.
BULWARK_SHA void AllBlocks(uint32_t md5[4], Sha1State& sha1,
                           Sha256State& sha256, const uint8_t* p,
                           size_t blocks) {
  for (size_t i = 0; i < blocks; ++i, p += 64) {
    Md5Block(md5, p);
    Sha1Block(sha1, p);
    Sha256Block(sha256, p);
  }
}

// The final one or two blocks: the rest of the bytes, 0x80, zeros, and the
// length in bits (little-endian for MD5, big-endian for SHA).
size_t PadTail(const uint8_t* rest, size_t rest_len, uint64_t total_bytes,
               bool big_endian, uint8_t out[128]) {
  std::memset(out, 0, 128);
  // An empty input has no bytes at all (its data pointer may be null).
  if (rest_len > 0) std::memcpy(out, rest, rest_len);
  out[rest_len] = 0x80;
  const size_t len = rest_len + 9 <= 64 ? 64 : 128;
  const uint64_t bits = total_bytes * 8;
  for (int i = 0; i < 8; ++i) {
    out[len - 8 + i] = static_cast<uint8_t>(big_endian ? bits >> (56 - 8 * i)
                                                       : bits >> (8 * i));
  }
  return len;
}

BULWARK_SHA void Finish(uint32_t md5[4], Sha1State& sha1, Sha256State& sha256,
                        FusedDigestResult& out) {
  std::memcpy(out.md5, md5, 16);
  // SHA-1: lanes hold D C B A, and E in the top lane.
  alignas(16) uint32_t w[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(w), sha1.abcd);
  const uint32_t h1[5] = {w[3], w[2], w[1], w[0],
                          static_cast<uint32_t>(_mm_extract_epi32(sha1.e, 3))};
  for (int i = 0; i < 5; ++i) {
    for (int b = 0; b < 4; ++b) {
      out.sha1[4 * i + b] = static_cast<uint8_t>(h1[i] >> (24 - 8 * b));
    }
  }
  // SHA-256: abef lanes hold F E B A, cdgh lanes H G D C.
  _mm_store_si128(reinterpret_cast<__m128i*>(w), sha256.abef);
  _mm_store_si128(reinterpret_cast<__m128i*>(w + 4), sha256.cdgh);
  const uint32_t h2[8] = {w[3], w[2], w[7], w[6], w[1], w[0], w[5], w[4]};
  for (int i = 0; i < 8; ++i) {
    for (int b = 0; b < 4; ++b) {
      out.sha256[4 * i + b] = static_cast<uint8_t>(h2[i] >> (24 - 8 * b));
    }
  }
}

BULWARK_SHA FusedDigestResult Run(std::span<const uint8_t> bytes) {
  uint32_t md5[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  Sha1State sha1;
  // Lanes (low to high): D C B A; E in the top lane.
  sha1.abcd = _mm_set_epi32(0x67452301, static_cast<int>(0xefcdab89),
                            static_cast<int>(0x98badcfe), 0x10325476);
  sha1.e = _mm_set_epi32(static_cast<int>(0xc3d2e1f0), 0, 0, 0);
  Sha256State sha256;
  // Lanes (low to high): F E B A and H G D C.
  sha256.abef = _mm_set_epi32(0x6a09e667, static_cast<int>(0xbb67ae85),
                              0x510e527f, static_cast<int>(0x9b05688c));
  sha256.cdgh = _mm_set_epi32(0x3c6ef372, static_cast<int>(0xa54ff53a),
                              0x1f83d9ab, 0x5be0cd19);

  const size_t blocks = bytes.size() / 64;
  AllBlocks(md5, sha1, sha256, bytes.data(), blocks);
  const uint8_t* rest = bytes.data() + blocks * 64;
  const size_t rest_len = bytes.size() - blocks * 64;
  uint8_t tail[128];
  size_t n = PadTail(rest, rest_len, bytes.size(), false, tail);
  for (size_t i = 0; i < n; i += 64) Md5Block(md5, tail + i);
  n = PadTail(rest, rest_len, bytes.size(), true, tail);
  for (size_t i = 0; i < n; i += 64) {
    Sha1Block(sha1, tail + i);
    Sha256Block(sha256, tail + i);
  }
  FusedDigestResult out;
  Finish(md5, sha1, sha256, out);
  return out;
}

}  // namespace

bool FusedDigestsAvailable() {
  // CPUID directly: clang's __builtin_cpu_supports knows no "sha".
  static const bool have = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return ssse3 && sse41 && (b & (1u << 29)) != 0;  // EBX bit 29: SHA
  }();
  return have;
}

FusedDigestResult FusedDigests(std::span<const uint8_t> bytes) {
  return Run(bytes);
}

}  // namespace bulwark::hash

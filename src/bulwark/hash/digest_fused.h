// MD5, SHA-1 and SHA-256 of the same bytes in one pass, for CPUs with the
// SHA extensions.
//
// Why: `bulwark hash` computes all three for every file. Computed one after
// the other (OpenSSL), they cost MD5 + SHA-1 + SHA-256 time. MD5 is one long
// chain of dependent scalar operations (about 4.5 cycles per byte here)
// that leaves most execution units idle, while SHA-1 and SHA-256 with the
// SHA instructions run on the vector units. Doing each 64-byte block of all
// three in one loop lets the processor overlap them, so the three together
// cost little more than MD5 alone.
#pragma once

#include <cstdint>
#include <span>

namespace bulwark::hash {

struct FusedDigestResult {
  uint8_t md5[16];
  uint8_t sha1[20];
  uint8_t sha256[32];
};

// True when the CPU has the SHA extensions, SSSE3 and SSE4.1 (checked
// once).
bool FusedDigestsAvailable();

// Only call when FusedDigestsAvailable(). Equal to the standard digests
// (checked against OpenSSL in tests/hash/digest_fused_test.cc).
FusedDigestResult FusedDigests(std::span<const uint8_t> bytes);

}  // namespace bulwark::hash

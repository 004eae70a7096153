// The one-pass MD5 + SHA-1 + SHA-256 against OpenSSL (DigestHex), on every
// length around the padding boundaries and on larger random inputs.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "bulwark/core/hex.h"
#include "bulwark/hash/digest.h"
#include "bulwark/hash/digest_fused.h"

namespace bulwark {
namespace {

std::vector<uint8_t> Bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> out(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<uint8_t>(x);
  }
  return out;
}

void ExpectEqualToOpenSsl(const std::vector<uint8_t>& bytes) {
  const hash::FusedDigestResult d = hash::FusedDigests(bytes);
  EXPECT_EQ(HexEncode(d.md5),
            *hash::DigestHex(hash::DigestAlgorithm::kMd5, bytes))
      << bytes.size();
  EXPECT_EQ(HexEncode(d.sha1),
            *hash::DigestHex(hash::DigestAlgorithm::kSha1, bytes))
      << bytes.size();
  EXPECT_EQ(HexEncode(d.sha256),
            *hash::DigestHex(hash::DigestAlgorithm::kSha256, bytes))
      << bytes.size();
}

TEST(FusedDigests, EqualOpenSslOnEveryShortLength) {
  if (!hash::FusedDigestsAvailable()) GTEST_SKIP() << "no SHA extensions";
  for (size_t n = 0; n <= 300; ++n) ExpectEqualToOpenSsl(Bytes(n, 7));
}

TEST(FusedDigests, EqualOpenSslOnLargeInputs) {
  if (!hash::FusedDigestsAvailable()) GTEST_SKIP() << "no SHA extensions";
  for (size_t n : {4095u, 4096u, 65536u + 55, 1000003u}) {
    ExpectEqualToOpenSsl(Bytes(n, static_cast<uint32_t>(n)));
  }
  ExpectEqualToOpenSsl(std::vector<uint8_t>(100000, 0xff));
}

}  // namespace
// An empty span has no buffer at all (a null data pointer): the digests of
// nothing, without touching memory (UBSan checks the copy).
TEST(FusedDigests, EmptyInputWithoutABuffer) {
  if (!hash::FusedDigestsAvailable()) GTEST_SKIP() << "no SHA extensions";
  const hash::FusedDigestResult d =
      hash::FusedDigests(std::span<const uint8_t>());
  EXPECT_EQ(HexEncode(d.md5), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(d.sha1), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(HexEncode(d.sha256),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace bulwark

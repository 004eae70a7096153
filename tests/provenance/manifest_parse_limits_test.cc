// Crafted and broken manifest stores: every one is an invalid (or absent)
// manifest with a reason, never a crash, a hang or an allocation driven by
// a declared size.
#include <gtest/gtest.h>

#include <string>

#include "bulwark/provenance/locate_jpeg.h"
#include "bulwark/provenance/locate_png.h"
#include "bulwark/provenance/verify_image.h"
#include "support/jumbf_test_boxes.h"

namespace bulwark::provenance {
namespace {

using testing::BoxBytes;
using testing::Bytes;
using testing::JpegWithStore;
using testing::PngWithStore;
using testing::SuperboxBytes;

// A store with the C2PA structure but a claim and signature that are only
// placeholders: parsing gets as far as the claim's CBOR.
Bytes Store(const Bytes& claim_cbor, const Bytes& signature_cbor) {
  const Bytes assertion =
      SuperboxBytes("cbor", "c2pa.actions.v2", {BoxBytes("cbor", {0xa0})});
  return SuperboxBytes(
      "c2pa", "c2pa",
      {SuperboxBytes("c2ma", "urn:c2pa:test",
                     {SuperboxBytes("c2as", "c2pa.assertions", {assertion}),
                      SuperboxBytes("c2cl", "c2pa.claim.v2",
                                    {BoxBytes("cbor", claim_cbor)}),
                      SuperboxBytes("c2cs", "c2pa.signature",
                                    {BoxBytes("cbor", signature_cbor)})})});
}

Bytes ValidLookingStore() {
  // {"instanceID": "x", "signature": "s", "created_assertions": []}
  const Bytes claim = {0xa3, 0x6a, 'i',  'n', 's',  't', 'a',  'n', 'c', 'e',
                       'I',  'D',  0x61, 'x', 0x69, 's', 'i',  'g', 'n', 'a',
                       't',  'u',  'r',  'e', 0x61, 's', 0x72, 'c', 'r', 'e',
                       'a',  't',  'e',  'd', '_',  'a', 's',  's', 'e', 'r',
                       't',  'i',  'o',  'n', 's',  0x80};
  return Store(claim, {0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40});
}

VerifyReport Verify(const Bytes& image, size_t max_store_bytes = 1 << 20) {
  VerifyOptions options;
  options.max_store_bytes = max_store_bytes;
  auto report = VerifyImage(image, options);
  EXPECT_TRUE(report.ok());
  return report.ok() ? *report : VerifyReport{};
}

void SetBe32(Bytes& bytes, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    bytes[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

TEST(ManifestParseLimits, StructurallyValidStoreReachesTheSignatureCheck) {
  // The baseline the crafted variants below break: this one parses, and
  // fails only because its COSE signature is a placeholder.
  const VerifyReport report = Verify(JpegWithStore(ValidLookingStore()));
  EXPECT_EQ(report.state, VerifyState::kInvalid);
  EXPECT_EQ(report.failed_check, "claimSignature.missing") << report.reason;
}

TEST(ManifestParseLimits, HugeDeclaredBoxLengthIsNamedNotAllocated) {
  Bytes store = ValidLookingStore();
  SetBe32(store, 38, 0xffffffff);  // the manifest superbox ('jumb' at 38)
  for (const Bytes& image : {JpegWithStore(store), PngWithStore(store)}) {
    const VerifyReport report = Verify(image);
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_EQ(report.failed_check, "general.error");
    EXPECT_NE(report.reason.find("JUMBF box 'jumb' at offset 38 declares "
                                 "4294967295 bytes but only"),
              std::string::npos)
        << report.reason;
  }
}

TEST(ManifestParseLimits, HugeExtendedLengthIsNamed) {
  Bytes store = ValidLookingStore();
  // Replace the root's description with a content box whose 64-bit length
  // is 2^64 - 1.
  const Bytes huge = {0,    0,    0,    1,    'c',  'b',  'o',  'r',
                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  store.insert(store.end(), huge.begin(), huge.end());
  SetBe32(store, 0, static_cast<uint32_t>(store.size()));
  const VerifyReport report = Verify(PngWithStore(store));
  EXPECT_EQ(report.state, VerifyState::kInvalid);
  EXPECT_NE(report.reason.find("declares 18446744073709551615 bytes"),
            std::string::npos)
      << report.reason;
}

TEST(ManifestParseLimits, DeepRecursionIsCapped) {
  Bytes store = SuperboxBytes("c2pa", "c2pa", {});
  for (int i = 0; i < 5000; ++i) store = SuperboxBytes("c2pa", "c2pa", {store});
  const VerifyReport report = Verify(JpegWithStore(store));
  EXPECT_EQ(report.state, VerifyState::kInvalid);
  EXPECT_NE(report.reason.find("nest deeper"), std::string::npos)
      << report.reason;
}

TEST(ManifestParseLimits, EveryTruncationIsInvalidWithAReason) {
  const Bytes store = ValidLookingStore();
  for (size_t n = 8; n < store.size(); ++n) {
    // The box header still declares the full size; the data stops at n.
    const Bytes cut(store.begin(), store.begin() + n);
    std::vector<Bytes> images = {PngWithStore(cut)};
    // A JPEG's JUMBF is known as C2PA's only once the description's type
    // (bytes 16 to 20) is there; before, it is some other application's.
    if (n >= 20) images.push_back(JpegWithStore(cut));
    for (const Bytes& image : images) {
      const VerifyReport report = Verify(image);
      EXPECT_EQ(report.state, VerifyState::kInvalid) << n;
      EXPECT_FALSE(report.reason.empty()) << n;
    }
  }
}

TEST(ManifestParseLimits, CutOffContainerIsInvalidNotAbsent) {
  const Bytes jpeg = JpegWithStore(ValidLookingStore());
  const Bytes png = PngWithStore(ValidLookingStore());
  for (const Bytes& image : {Bytes(jpeg.begin(), jpeg.begin() + 100),
                             Bytes(png.begin(), png.begin() + 100)}) {
    const VerifyReport report = Verify(image);
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_NE(report.reason.find("declares"), std::string::npos)
        << report.reason;
  }
}

TEST(ManifestParseLimits, MissingRepeatedAndScatteredPacketsAreErrors) {
  const Bytes store = ValidLookingStore();
  const Bytes jpeg = JpegWithStore(store, 100);  // three or more packets
  auto whole = LocateJpegStore(jpeg, 1 << 20);
  ASSERT_TRUE(whole.ok() && *whole);
  EXPECT_EQ((*whole)->jumbf, store);

  // The segments start at offset 2; each is 2 + 2 + 8 + 8 + 100 bytes.
  const size_t segment = 120;
  Bytes missing = jpeg;
  missing.erase(missing.begin() + 2 + segment,
                missing.begin() + 2 + 2 * segment);
  auto gap = LocateJpegStore(missing, 1 << 20);
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.error().message.find("packet 3 where packet 2 was expected"),
            std::string::npos)
      << gap.error().message;

  Bytes repeated = jpeg;
  repeated.insert(repeated.begin() + 2 + segment, jpeg.begin() + 2,
                  jpeg.begin() + 2 + segment);
  EXPECT_FALSE(LocateJpegStore(repeated, 1 << 20).ok());

  Bytes scattered = jpeg;
  const Bytes comment = {0xff, 0xfe, 0x00, 0x04, 'h', 'i'};
  scattered.insert(scattered.begin() + 2 + segment, comment.begin(),
                   comment.end());
  auto apart = LocateJpegStore(scattered, 1 << 20);
  ASSERT_FALSE(apart.ok());
  EXPECT_NE(apart.error().message.find("not contiguous"), std::string::npos);
}

TEST(ManifestParseLimits, TwoStoresAreAnError) {
  const Bytes store = ValidLookingStore();
  Bytes jpeg = JpegWithStore(store);
  const Bytes again = JpegWithStore(store);
  jpeg.insert(jpeg.end() - 2, again.begin() + 2, again.end() - 2);
  const VerifyReport in_jpeg = Verify(jpeg);
  EXPECT_EQ(in_jpeg.state, VerifyState::kInvalid);
  EXPECT_NE(in_jpeg.reason.find("two C2PA manifest stores"), std::string::npos);

  Bytes png = PngWithStore(store);
  const Bytes second = PngWithStore(store);
  // Insert the second file's caBX chunk (after its signature and IHDR).
  png.insert(png.end() - 12, second.begin() + 33, second.end() - 12);
  const VerifyReport in_png = Verify(png);
  EXPECT_EQ(in_png.state, VerifyState::kInvalid);
  EXPECT_NE(in_png.reason.find("two C2PA manifest stores"), std::string::npos);
}

TEST(ManifestParseLimits, StoreLargerThanTheLimitIsNotRead) {
  const Bytes store = ValidLookingStore();
  for (const Bytes& image : {JpegWithStore(store, 64), PngWithStore(store)}) {
    const VerifyReport report = Verify(image, store.size() - 1);
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_NE(report.reason.find("exceeds the limit"), std::string::npos)
        << report.reason;
  }
}

TEST(ManifestParseLimits, ManyTinySegmentsAreCapped) {
  Bytes jpeg = {0xff, 0xd8};
  const Bytes segment = {0xff, 0xeb, 0x00, 0x12, 'J', 'P', 0x00, 0x09, 0,  0, 0,
                         1,    0,    0,    0,    16,  'j', 'u',  'm',  'b'};
  for (int i = 0; i < 5000; ++i) {
    jpeg.insert(jpeg.end(), segment.begin(), segment.end());
  }
  auto located = LocateJpegStore(jpeg, 1 << 20);
  ASSERT_FALSE(located.ok());
  EXPECT_EQ(located.error().code, ErrorCode::kLimitExceeded);
}

TEST(ManifestParseLimits, MissingPartsAreNamedWithTheirStatusCodes) {
  const Bytes signature = {0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40};
  struct Case {
    Bytes store;
    std::string code;
  };
  const Case cases[] = {
      {SuperboxBytes("c2pa", "c2pa", {}), "claim.missing"},
      {SuperboxBytes("c2pa", "c2pa",
                     {SuperboxBytes("c2ma", "urn:c2pa:test", {})}),
       "claim.missing"},
      {Store({0xff}, signature), "claim.cbor.invalid"},
      // A claim whose array declares 2^32 - 1 entries in a 5-byte box.
      {Store({0x9a, 0xff, 0xff, 0xff, 0xff}, signature), "claim.cbor.invalid"},
      {Store({0xa0}, signature), "claim.required.missing"},
  };
  for (const Case& c : cases) {
    const VerifyReport report = Verify(JpegWithStore(c.store));
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_EQ(report.failed_check, c.code) << report.reason;
    EXPECT_FALSE(report.reason.empty());
  }
}

TEST(ManifestParseLimits, JumbfOfAnotherApplicationIsNoManifest) {
  const Bytes other = SuperboxBytes("xyzw", "not c2pa", {});
  EXPECT_EQ(Verify(JpegWithStore(other)).state, VerifyState::kNone);
}

}  // namespace
}  // namespace bulwark::provenance

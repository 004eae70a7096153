// Changing a file signed by the C2PA reference implementation after
// signing: Bulwark must call it invalid and name the failing check, and
// c2pa-rs must agree that it is invalid.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string_view>

#include "bulwark/provenance/locate_jpeg.h"
#include "bulwark/provenance/locate_png.h"
#include "bulwark/provenance/verify_image.h"
#include "support/c2pa_reference.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark::provenance {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::ReadBytes;

class VerifyTamper : public ::testing::Test {
 protected:
  // Fixtures are made once; a failure to make them (no node, no openssl)
  // fails every test rather than skipping it.
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    prepared_ = Prepare();
  }
  static ::testing::AssertionResult Prepare() {
    auto made =
        testing::MakeTestCa(dir_->path(), testing::TestKeyType::kEcP256, &ca_);
    if (!made) return made;
    const std::string images = testing::TestDataDir() + "/pdq/images/";
    auto jpeg = testing::SignWithReference(ca_, images + "ski-rocket.jpg",
                                           *dir_ / "signed.jpg");
    if (!jpeg) return jpeg;
    return testing::SignWithReference(ca_, images + "ski-coffee.png",
                                      *dir_ / "signed.png");
  }
  void SetUp() override { ASSERT_TRUE(prepared_); }
  static void TearDownTestSuite() { delete dir_; }

  static Bytes SignedJpeg() { return ReadBytes(*dir_ / "signed.jpg"); }
  static Bytes SignedPng() { return ReadBytes(*dir_ / "signed.png"); }

  static EmbeddedStore StoreOf(const Bytes& image) {
    auto store = image[0] == 0xff ? LocateJpegStore(image, 1 << 20)
                                  : LocatePngStore(image, 1 << 20);
    EXPECT_TRUE(store.ok() && *store);
    return store.ok() && *store ? **store : EmbeddedStore{};
  }

  // Bulwark's verdict on `image`, with c2pa-rs's verdict on the same bytes
  // expected to be Invalid and to list `code` among its failures.
  static VerifyReport VerifyTampered(const Bytes& image,
                                     const std::string& reference_code) {
    // c2pa-node tells the format by the extension.
    const std::string path =
        *dir_ / (image[0] == 0xff ? "tampered.jpg" : "tampered.png");
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(image.data()),
               static_cast<std::streamsize>(image.size()));
    const testing::ReferenceVerdict reference =
        testing::ReadWithReference(path, ca_.root);
    EXPECT_EQ(reference.state, "Invalid") << reference.output;
    if (!reference_code.empty()) {
      EXPECT_NE(std::find(reference.failures.begin(), reference.failures.end(),
                          reference_code),
                reference.failures.end())
          << reference.output;
    }
    VerifyOptions options;
    const Bytes root = ReadBytes(ca_.root);
    options.trust_anchor_pems.emplace_back(root.begin(), root.end());
    auto report = VerifyImage(image, options);
    EXPECT_TRUE(report.ok());
    return report.ok() ? *report : VerifyReport{};
  }

  // The offset of `needle` in `image` inside its manifest store.
  static size_t FindInStore(const Bytes& image, std::string_view needle) {
    const EmbeddedStore store = StoreOf(image);
    auto it =
        std::search(image.begin() + store.begin, image.begin() + store.end,
                    needle.begin(), needle.end());
    EXPECT_NE(it, image.begin() + store.end) << needle;
    return static_cast<size_t>(it - image.begin());
  }

  static inline testing::ScratchDir* dir_ = nullptr;
  static inline testing::TestCa ca_;
  static inline ::testing::AssertionResult prepared_ =
      ::testing::AssertionSuccess();
};

TEST_F(VerifyTamper, UntouchedFilesAreTrusted) {
  // The baseline for every test below: the same bytes, unmodified, pass.
  EXPECT_EQ(VerifyImage(SignedJpeg(), {})->state, VerifyState::kValid);
  EXPECT_EQ(VerifyImage(SignedPng(), {})->state, VerifyState::kValid);
}

TEST_F(VerifyTamper, OnePixelByteBreaksTheDataHash) {
  for (Bytes image : {SignedJpeg(), SignedPng()}) {
    image[image.size() - 100] ^= 0x01;  // entropy-coded / IDAT data
    const VerifyReport report =
        VerifyTampered(image, "assertion.dataHash.mismatch");
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_EQ(report.failed_check, "assertion.dataHash.mismatch");
    EXPECT_NE(report.reason.find("changed after signing"), std::string::npos);
  }
}

TEST_F(VerifyTamper, OneAssertionByteBreaksItsHashedUri) {
  for (Bytes image : {SignedJpeg(), SignedPng()}) {
    // "trainedAlgorithmicMedia" -> "TrainedAlgorithmicMedia" in the actions
    // assertion: still well-formed CBOR, no longer what the claim hashed.
    image[FindInStore(image, "trainedAlgorithmicMedia")] = 'T';
    const VerifyReport report =
        VerifyTampered(image, "assertion.hashedURI.mismatch");
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_EQ(report.failed_check, "assertion.hashedURI.mismatch");
    EXPECT_NE(report.reason.find("c2pa.actions.v2"), std::string::npos)
        << report.reason;
  }
}

TEST_F(VerifyTamper, OneSignatureByteBreaksTheClaimSignature) {
  for (Bytes image : {SignedJpeg(), SignedPng()}) {
    // The COSE signature is the last item of the claim signature box,
    // which ends the store (PNG: before the chunk's 4-byte CRC).
    const EmbeddedStore store = StoreOf(image);
    const size_t last = store.end - (image[0] == 0xff ? 1 : 5);
    image[last - 10] ^= 0x01;
    const VerifyReport report =
        VerifyTampered(image, "claimSignature.mismatch");
    EXPECT_EQ(report.state, VerifyState::kInvalid);
    EXPECT_EQ(report.failed_check, "claimSignature.mismatch");
  }
}

TEST_F(VerifyTamper, ClaimByteBreaksTheClaimSignature) {
  Bytes image = SignedJpeg();
  image[FindInStore(image, "bulwark-fixture")] = 'B';
  const VerifyReport report = VerifyTampered(image, "claimSignature.mismatch");
  EXPECT_EQ(report.state, VerifyState::kInvalid);
  EXPECT_EQ(report.failed_check, "claimSignature.mismatch");
}

TEST_F(VerifyTamper, MetadataAddedAfterSigningBreaksTheDataHash) {
  const Bytes comment = {0xff, 0xfe, 0x00, 0x07, 'a', 'd', 'd', 'e', 'd'};
  {
    // A comment segment after the store: the exclusion still matches, the
    // hashed bytes do not.
    Bytes image = SignedJpeg();
    const EmbeddedStore store = StoreOf(image);
    image.insert(image.begin() + store.end, comment.begin(), comment.end());
    const VerifyReport report =
        VerifyTampered(image, "assertion.dataHash.mismatch");
    EXPECT_EQ(report.failed_check, "assertion.dataHash.mismatch");
  }
  {
    // A comment segment before the store: the store moved, so the signed
    // exclusion no longer covers it.
    Bytes image = SignedJpeg();
    image.insert(image.begin() + 2, comment.begin(), comment.end());
    const VerifyReport report = VerifyTampered(image, "");
    EXPECT_EQ(report.failed_check, "assertion.dataHash.mismatch");
    EXPECT_NE(report.reason.find("exclusions"), std::string::npos);
  }
  {
    // A tEXt chunk before PNG's IEND.
    Bytes image = SignedPng();
    const Bytes text = {0,   0, 0,   4,   't', 'E', 'X', 't',
                        'a', 0, 'b', 'c', 0,   0,   0,   0};
    image.insert(image.end() - 12, text.begin(), text.end());
    const VerifyReport report =
        VerifyTampered(image, "assertion.dataHash.mismatch");
    EXPECT_EQ(report.failed_check, "assertion.dataHash.mismatch");
  }
}

TEST_F(VerifyTamper, TruncatedStoreIsInvalidWithAReason) {
  Bytes image = SignedJpeg();
  const EmbeddedStore store = StoreOf(image);
  image.resize(store.begin + 1000);
  const VerifyReport report = VerifyTampered(image, "");
  EXPECT_EQ(report.state, VerifyState::kInvalid);
  EXPECT_FALSE(report.reason.empty());
}

}  // namespace
}  // namespace bulwark::provenance

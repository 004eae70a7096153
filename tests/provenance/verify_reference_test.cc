// Bulwark's verifier against manifests made by the C2PA reference
// implementation (c2pa-rs through @contentauth/c2pa-node), with c2pa-rs's
// own verdict on the same files as the expected answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>

#include "bulwark/provenance/locate_jpeg.h"
#include "bulwark/provenance/locate_png.h"
#include "bulwark/provenance/verify_image.h"
#include "support/c2pa_reference.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark::provenance {
namespace {

using testing::ReadBytes;
using testing::ReadWithReference;
using testing::SignWithReference;
using testing::TestCa;
using testing::TestKeyType;

constexpr char kAiGenerated[] =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

std::string Image(const std::string& name) {
  return testing::TestDataDir() + "/pdq/images/" + name;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class VerifyReference : public ::testing::Test {
 protected:
  // Fixtures are made once; a failure to make them (no node, no openssl)
  // fails every test rather than skipping it.
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    prepared_ = Prepare();
  }
  static ::testing::AssertionResult Prepare() {
    auto made = testing::MakeTestCa(dir_->path(), TestKeyType::kEcP256, &ca_);
    if (!made) return made;
    std::filesystem::create_directory(*dir_ / "other");
    made =
        testing::MakeTestCa(*dir_ / "other", TestKeyType::kEcP256, &other_ca_);
    if (!made) return made;
    auto jpeg = SignWithReference(ca_, Image("ski-rocket.jpg"), Jpeg());
    if (!jpeg) return jpeg;
    return SignWithReference(ca_, Image("ski-coffee.png"), Png());
  }
  void SetUp() override { ASSERT_TRUE(prepared_); }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Jpeg() { return *dir_ / "signed.jpg"; }
  static std::string Png() { return *dir_ / "signed.png"; }

  static VerifyReport Verify(const std::string& path,
                             const std::string& anchors_path = "") {
    VerifyOptions options;
    if (!anchors_path.empty()) {
      options.trust_anchor_pems.push_back(ReadText(anchors_path));
    }
    auto report = VerifyImage(ReadBytes(path), options);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : VerifyReport{};
  }

  static void ExpectReferenceManifest(const VerifyReport& report) {
    EXPECT_EQ(report.claim_generator, "bulwark-fixture/1.0");
    EXPECT_EQ(report.actions, std::vector<std::string>{"c2pa.created"});
    EXPECT_EQ(report.digital_source_type, kAiGenerated);
    EXPECT_TRUE(report.ai_generated);
    EXPECT_NE(report.signer_subject.find("CN=Bulwark Test Signer"),
              std::string::npos)
        << report.signer_subject;
  }

  static inline testing::ScratchDir* dir_ = nullptr;
  static inline TestCa ca_, other_ca_;
  static inline ::testing::AssertionResult prepared_ =
      ::testing::AssertionSuccess();
};

TEST_F(VerifyReference, JpegIsValidButUntrustedWithoutAnchorsAsInC2paRs) {
  const VerifyReport report = Verify(Jpeg());
  EXPECT_EQ(report.state, VerifyState::kValid) << report.reason;
  EXPECT_EQ(report.failed_check, "signingCredential.untrusted");
  EXPECT_EQ(report.alg, "ES256");
  ExpectReferenceManifest(report);
  const testing::ReferenceVerdict reference = ReadWithReference(Jpeg());
  EXPECT_EQ(reference.state, "Valid") << reference.output;
}

TEST_F(VerifyReference, JpegIsTrustedWithItsRootAsAnchorAsInC2paRs) {
  const VerifyReport report = Verify(Jpeg(), ca_.root);
  EXPECT_EQ(report.state, VerifyState::kTrusted) << report.reason;
  EXPECT_EQ(report.failed_check, "");
  ExpectReferenceManifest(report);
  EXPECT_EQ(ReadWithReference(Jpeg(), ca_.root).state, "Trusted");
}

TEST_F(VerifyReference, AnotherRootLeavesTheJpegValidButUntrusted) {
  const VerifyReport report = Verify(Jpeg(), other_ca_.root);
  EXPECT_EQ(report.state, VerifyState::kValid);
  EXPECT_EQ(report.failed_check, "signingCredential.untrusted");
  EXPECT_NE(report.reason.find("trust anchor"), std::string::npos);
  EXPECT_EQ(ReadWithReference(Jpeg(), other_ca_.root).state, "Valid");
}

TEST_F(VerifyReference, PngIsValidAndTrustedAsInC2paRs) {
  const VerifyReport valid = Verify(Png());
  EXPECT_EQ(valid.state, VerifyState::kValid) << valid.reason;
  ExpectReferenceManifest(valid);
  const VerifyReport trusted = Verify(Png(), ca_.root);
  EXPECT_EQ(trusted.state, VerifyState::kTrusted) << trusted.reason;
  EXPECT_EQ(ReadWithReference(Png()).state, "Valid");
  EXPECT_EQ(ReadWithReference(Png(), ca_.root).state, "Trusted");
}

TEST_F(VerifyReference, LocatesTheStoreWhereC2paRsExcludedIt) {
  // c2pa-rs puts the store right after JFIF's APP0 (20 bytes in) and after
  // IHDR in PNG (33 bytes in); the located ranges must be those segments.
  const std::vector<uint8_t> jpeg = ReadBytes(Jpeg());
  auto in_jpeg = LocateJpegStore(jpeg, 1 << 20);
  ASSERT_TRUE(in_jpeg.ok() && *in_jpeg);
  EXPECT_EQ((*in_jpeg)->begin, 20u);
  EXPECT_EQ(jpeg[(*in_jpeg)->begin + 1], 0xeb);
  EXPECT_EQ(jpeg[(*in_jpeg)->end], 0xff);  // the next marker
  const std::vector<uint8_t> png = ReadBytes(Png());
  auto in_png = LocatePngStore(png, 1 << 20);
  ASSERT_TRUE(in_png.ok() && *in_png);
  EXPECT_EQ((*in_png)->begin, 33u);
  EXPECT_EQ((*in_png)->end - (*in_png)->begin, (*in_png)->jumbf.size() + 12);
}

TEST_F(VerifyReference, StoreSplitOverSeveralApp11SegmentsIsReassembled) {
  const std::string big = *dir_ / "big.jpg";
  ASSERT_TRUE(
      SignWithReference(ca_, Image("ski-rocket.jpg"), big, "es256", 150000));
  auto located = LocateJpegStore(ReadBytes(big), 1 << 20);
  ASSERT_TRUE(located.ok() && *located);
  EXPECT_GT((*located)->jumbf.size(), 150000u);  // so at least 3 segments
  const VerifyReport report = Verify(big, ca_.root);
  EXPECT_EQ(report.state, VerifyState::kTrusted) << report.reason;
  EXPECT_EQ(ReadWithReference(big, ca_.root).state, "Trusted");
  // The same file with a store limit below its size is invalid, unread.
  VerifyOptions small;
  small.max_store_bytes = 100000;
  auto limited = VerifyImage(ReadBytes(big), small);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->state, VerifyState::kInvalid);
  EXPECT_NE(limited->reason.find("exceeds the limit"), std::string::npos);
}

TEST_F(VerifyReference, Ps256AndEd25519SignaturesVerify) {
  for (auto [type, alg, name] :
       {std::tuple{TestKeyType::kRsa2048, "ps256", "PS256"},
        std::tuple{TestKeyType::kEd25519, "ed25519", "Ed25519"}}) {
    const std::string sub = *dir_ / alg;
    std::filesystem::create_directory(sub);
    TestCa ca;
    ASSERT_TRUE(testing::MakeTestCa(sub, type, &ca));
    const std::string out = sub + "/signed.jpg";
    ASSERT_TRUE(SignWithReference(ca, Image("ski-rocket.jpg"), out, alg));
    const VerifyReport report = Verify(out, ca.root);
    EXPECT_EQ(report.state, VerifyState::kTrusted) << alg << report.reason;
    EXPECT_EQ(report.alg, name);
    EXPECT_EQ(ReadWithReference(out, ca.root).state, "Trusted") << alg;
  }
}

TEST_F(VerifyReference, ImagesWithoutManifestReportNone) {
  for (const char* name : {"ski-rocket.jpg", "ski-coffee.png"}) {
    const VerifyReport report = Verify(Image(name));
    EXPECT_EQ(report.state, VerifyState::kNone) << name;
    EXPECT_EQ(ReadWithReference(Image(name)).state, "None") << name;
  }
  const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
  auto other = VerifyImage(text, {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->state, VerifyState::kNone);
}

TEST_F(VerifyReference, UnusableTrustAnchorsAreAnError) {
  VerifyOptions options;
  options.trust_anchor_pems.push_back("not a certificate");
  auto report = VerifyImage(ReadBytes(Jpeg()), options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::provenance

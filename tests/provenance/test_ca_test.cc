#include "bulwark/provenance/test_ca.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <memory>

#include "bulwark/provenance/pem_signer.h"
#include "support/scratch_dir.h"

namespace bulwark::provenance {
namespace {

using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

Cert ParsePem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
              X509_free);
}

bool IsCritical(X509* cert, int nid) {
  const int at = X509_get_ext_by_NID(cert, nid, -1);
  return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, at)) == 1;
}

bool SameOctets(const ASN1_OCTET_STRING* a, const ASN1_OCTET_STRING* b) {
  return a != nullptr && b != nullptr && ASN1_OCTET_STRING_cmp(a, b) == 0;
}

class TestCaAlgorithms : public ::testing::TestWithParam<SigningAlgorithm> {};

TEST_P(TestCaAlgorithms, LeafHasTheExtensionsC2paVerifiersRequire) {
  auto ca = MakeTestCa(GetParam());
  ASSERT_TRUE(ca.ok()) << ca.error().ToString();
  Cert root = ParsePem(ca->root_pem);
  Cert leaf = ParsePem(ca->chain_pem);
  ASSERT_TRUE(root && leaf);

  // Root: a CA that may sign certificates.
  EXPECT_EQ(X509_check_ca(root.get()), 1);
  EXPECT_TRUE(X509_get_key_usage(root.get()) & KU_KEY_CERT_SIGN);
  EXPECT_TRUE(IsCritical(root.get(), NID_basic_constraints));
  EXPECT_EQ(X509_get_version(root.get()), X509_VERSION_3);

  // Leaf: digitalSignature (critical), emailProtection + documentSigning,
  // not a CA, AKI naming the root's SKI.
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  EXPECT_TRUE(X509_get_key_usage(leaf.get()) & KU_DIGITAL_SIGNATURE);
  EXPECT_FALSE(X509_get_key_usage(leaf.get()) & KU_KEY_CERT_SIGN);
  EXPECT_TRUE(IsCritical(leaf.get(), NID_key_usage));
  EXPECT_TRUE(X509_get_extended_key_usage(leaf.get()) & XKU_SMIME);
  EXPECT_NE(ca->chain_pem.size(), 0u);
  EXTENDED_KEY_USAGE* eku = static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(leaf.get(), NID_ext_key_usage, nullptr, nullptr));
  ASSERT_NE(eku, nullptr);
  bool document_signing = false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
    char oid[64];
    OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1);
    document_signing |= std::string(oid) == "1.3.6.1.5.5.7.3.36";
  }
  EXTENDED_KEY_USAGE_free(eku);
  EXPECT_TRUE(document_signing);
  EXPECT_NE(X509_get0_subject_key_id(leaf.get()), nullptr);
  EXPECT_TRUE(SameOctets(X509_get0_authority_key_id(leaf.get()),
                         X509_get0_subject_key_id(root.get())));

  // The root's key signed the leaf.
  EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(root.get())), 1);
  // The chain holds the leaf only.
  EXPECT_EQ(ca->chain_pem.find("BEGIN CERTIFICATE"),
            ca->chain_pem.rfind("BEGIN CERTIFICATE"));
}

TEST_P(TestCaAlgorithms, PemSignerAcceptsTheLeafKeyAndSigns) {
  auto ca = MakeTestCa(GetParam());
  ASSERT_TRUE(ca.ok());
  auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem, GetParam());
  ASSERT_TRUE(signer.ok()) << signer.error().ToString();
  EXPECT_EQ((*signer)->certificate_chain_der().size(), 1u);
  const uint8_t message[] = {'h', 'i'};
  auto signature = (*signer)->Sign(message);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(signature->size(),
            GetParam() == SigningAlgorithm::kPs256 ? 256u : 64u);
}

INSTANTIATE_TEST_SUITE_P(All, TestCaAlgorithms,
                         ::testing::Values(SigningAlgorithm::kEs256,
                                           SigningAlgorithm::kPs256,
                                           SigningAlgorithm::kEd25519),
                         [](const auto& info) {
                           return std::string(SigningAlgorithmName(info.param));
                         });

TEST(PemSigner, RejectsAKeyOfTheWrongTypeOrCertificate) {
  auto ec = MakeTestCa(SigningAlgorithm::kEs256);
  auto other = MakeTestCa(SigningAlgorithm::kEs256);
  ASSERT_TRUE(ec.ok() && other.ok());
  auto wrong_alg = PemSigner::FromPem(ec->chain_pem, ec->leaf_key_pem,
                                      SigningAlgorithm::kPs256);
  ASSERT_FALSE(wrong_alg.ok());
  EXPECT_NE(wrong_alg.error().message.find("RSA"), std::string::npos);
  auto wrong_cert = PemSigner::FromPem(other->chain_pem, ec->leaf_key_pem,
                                       SigningAlgorithm::kEs256);
  ASSERT_FALSE(wrong_cert.ok());
  EXPECT_NE(wrong_cert.error().message.find("does not belong"),
            std::string::npos);
  auto no_cert =
      PemSigner::FromPem("garbage", ec->leaf_key_pem, SigningAlgorithm::kEs256);
  EXPECT_FALSE(no_cert.ok());
}

TEST(PemSigner, DropsATrailingRootFromTheChain) {
  auto ca = MakeTestCa(SigningAlgorithm::kEs256);
  ASSERT_TRUE(ca.ok());
  auto signer = PemSigner::FromPem(ca->chain_pem + ca->root_pem,
                                   ca->leaf_key_pem, SigningAlgorithm::kEs256);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ((*signer)->certificate_chain_der().size(), 1u);
}

TEST(TestCa, WritesThreeFilesWithAPrivateKeyAndNeverOverwrites) {
  testing::ScratchDir dir;
  auto ca = MakeTestCa(SigningAlgorithm::kEs256);
  ASSERT_TRUE(ca.ok());
  const std::string out = dir / "ca";
  ASSERT_TRUE(WriteTestCa(*ca, out).ok());
  struct stat st;
  ASSERT_EQ(stat((out + "/leaf.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((out + "/root.pem").c_str(), &st), 0);
  ASSERT_EQ(stat((out + "/chain.pem").c_str(), &st), 0);
  auto again = WriteTestCa(*ca, out);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::provenance

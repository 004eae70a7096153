// `bulwark provenance verify`: the states, the failed check, and the exit
// status, on images signed by `bulwark provenance sign`.
#include <gtest/gtest.h>

#include <fstream>

#include "support/cli_runner.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

class ProvenanceVerifyCli : public ::testing::TestWithParam<const char*> {};

TEST_P(ProvenanceVerifyCli, TrustedValidInvalidAndNone) {
  testing::ScratchDir dir;
  const std::string image =
      testing::TestDataDir() + "/pdq/images/" + GetParam();
  const std::string ext = image.substr(image.size() - 4);
  const std::string signed_path = dir / ("signed" + ext);
  const std::string tampered_path = dir / ("tampered" + ext);
  ASSERT_EQ(testing::Bulwark("provenance make-test-ca " + (dir / "ca")).status,
            0);
  const testing::RunResult s =
      testing::Bulwark("provenance sign " + image + " " + signed_path +
                       " --cert " + (dir / "ca/chain.pem") + " --key " +
                       (dir / "ca/leaf.key") + " --generator Gen/3");
  ASSERT_EQ(s.status, 0) << s.err;

  testing::RunResult r =
      testing::Bulwark("provenance verify " + signed_path +
                       " --trust-anchors " + (dir / "ca/root.pem"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("trusted\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("trainedAlgorithmicMedia (AI-generated)"),
            std::string::npos)
      << r.out;

  r = testing::Bulwark("provenance verify " + signed_path + " --format json");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"state\":\"valid\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"failed_check\":\"signingCredential.untrusted\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"ai_generated\":true"), std::string::npos) << r.out;

  // One byte of the image data changed after signing.
  std::string bytes = testing::Slurp(signed_path);
  bytes[bytes.size() - 100] ^= 0x01;
  std::ofstream(tampered_path, std::ios::binary) << bytes;
  r = testing::Bulwark("provenance verify " + tampered_path);
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out.rfind("invalid\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("assertion.dataHash.mismatch"), std::string::npos)
      << r.out;

  r = testing::Bulwark("provenance verify " + image);
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out, "none\n");

  r = testing::Bulwark("provenance verify " + (dir / "nope.jpg"));
  EXPECT_NE(r.err.find("nope.jpg"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(JpegAndPng, ProvenanceVerifyCli,
                         ::testing::Values("ski-hubble-deep-field.jpg",
                                           "ski-coffee.png"));

}  // namespace
}  // namespace bulwark

// `bulwark provenance make-test-ca` and `sign` end to end: files written,
// exit statuses, and the messages for inputs they refuse.
#include <gtest/gtest.h>

#include <string>

#include "support/cli_runner.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

using testing::Bulwark;

TEST(ProvenanceCli, MakesATestCaAndSignsWithIt) {
  testing::ScratchDir dir;
  const std::string ca = dir / "ca";
  auto made = Bulwark("provenance make-test-ca " + ca);
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(made.out.find("FOR TESTING ONLY"), std::string::npos);
  for (const char* f : {"/root.pem", "/chain.pem", "/leaf.key"}) {
    EXPECT_TRUE(testing::Exists(ca + f)) << f;
  }
  // A second run would overwrite the key: refused as a usage error.
  EXPECT_EQ(Bulwark("provenance make-test-ca " + ca).status, 2);

  const std::string in = testing::TestDataDir() + "/pdq/images/ski-rocket.jpg";
  const std::string out = dir / "signed.jpg";
  const std::string keys =
      " --cert " + ca + "/chain.pem --key " + ca + "/leaf.key";
  auto signed_run = Bulwark("provenance sign " + in + " " + out + keys +
                            " --generator ImageModel/3.1");
  ASSERT_EQ(signed_run.status, 0) << signed_run.err;
  const std::vector<uint8_t> before = testing::ReadBytes(in);
  const std::vector<uint8_t> after = testing::ReadBytes(out);
  ASSERT_GT(after.size(), before.size());
  const std::string text(after.begin(), after.end());
  EXPECT_NE(text.find("ImageModel"), std::string::npos);
  EXPECT_NE(text.find("trainedAlgorithmicMedia"), std::string::npos);

  // Signing the signed file again is refused, naming the reason.
  auto again =
      Bulwark("provenance sign " + out + " " + (dir / "twice.jpg") + keys);
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("already carries a C2PA manifest"),
            std::string::npos)
      << again.err;
  EXPECT_FALSE(testing::Exists(dir / "twice.jpg"));
}

TEST(ProvenanceCli, RefusesAKeyThatDoesNotSuitTheAlgorithm) {
  testing::ScratchDir dir;
  const std::string ca = dir / "ca";
  ASSERT_EQ(Bulwark("provenance make-test-ca " + ca).status, 0);
  const std::string in = testing::TestDataDir() + "/pdq/images/ski-coffee.png";
  auto r =
      Bulwark("provenance sign " + in + " " + (dir / "o.png") + " --cert " +
              ca + "/chain.pem --key " + ca + "/leaf.key --alg ed25519");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("ed25519 needs an Ed25519 key"), std::string::npos)
      << r.err;
  EXPECT_EQ(
      Bulwark("provenance sign " + in + " " + (dir / "o.png") + " --cert " +
              ca + "/chain.pem --key " + ca + "/leaf.key --alg rsa")
          .status,
      2);
}

}  // namespace
}  // namespace bulwark

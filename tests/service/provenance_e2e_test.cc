// C2PA through the service (issue 9): `bulwark serve` with a test CA's
// certificate signs images on POST /v1/provenance/sign; the signed image
// verifies as trusted against the test root; /v1/check reports the
// manifest and its AI-generated declaration on incoming images.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "bulwark/core/base64.h"
#include "bulwark/provenance/verify_image.h"
#include "bulwark/service/auth.h"
#include "support/cli_runner.h"
#include "support/http_client.h"
#include "support/scratch_dir.h"
#include "support/serve_process.h"
#include "support/test_lexicon.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {
namespace json = boost::json;

constexpr const char* kKey = "test-client-key-0123456789";

std::string Image(const std::string& name) {
  return testing::TestDataDir() + "/pdq/images/" + name;
}

testing::HttpResult Post(int port, const std::string& target,
                         const std::string& body, const std::string& type) {
  return testing::HttpRequest(
      port, "POST", target, body,
      {{"Content-Type", type},
       {"Authorization", std::string("Bearer ") + kKey}});
}

std::string Config(const std::string& policy, const std::string& extra) {
  return "policy = \"" + policy +
         "\"\n[server]\nlisten = \"127.0.0.1:0\"\n\n[[keys]]\nname = "
         "\"client\"\nsha256 = \"" +
         service::HashApiKey(kKey) + "\"\nrole = \"client\"\n" + extra;
}

void Stop(const testing::ServeProcess& s) {
  ::kill(s.child.pid, SIGTERM);
  EXPECT_EQ(testing::Wait(s.child).status, 0) << testing::Slurp(s.log);
}

TEST(ProvenanceE2e, SignsVerifiesAndReportsManifestsOnCheck) {
  testing::ScratchDir dir;
  const std::string policy = testing::WritePlaceholderPolicy(dir);
  ASSERT_EQ(testing::Bulwark("provenance make-test-ca " + (dir / "ca")).status,
            0);
  const testing::ServeProcess serve = testing::StartServe(
      dir.path(),
      Config(policy, "\n[provenance]\ncert = \"" + (dir / "ca/chain.pem") +
                         "\"\nkey = \"" + (dir / "ca/leaf.key") +
                         "\"\ngenerator = \"TestGen/2.1\"\ntrust_anchors = \"" +
                         (dir / "ca/root.pem") + "\"\n"),
      dir / "data");
  ASSERT_GT(serve.port, 0) << testing::Slurp(serve.log);

  const std::vector<uint8_t> original =
      testing::ReadBytes(Image("ski-rocket.jpg"));
  const testing::HttpResult signed_response =
      Post(serve.port, "/v1/provenance/sign",
           std::string(original.begin(), original.end()), "image/jpeg");
  ASSERT_EQ(signed_response.status, 200) << signed_response.body;
  const std::vector<uint8_t> signed_image(signed_response.body.begin(),
                                          signed_response.body.end());
  EXPECT_GT(signed_image.size(), original.size());

  provenance::VerifyOptions trust;
  trust.trust_anchor_pems.push_back(testing::Slurp(dir / "ca/root.pem"));
  auto report = provenance::VerifyImage(signed_image, trust);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->state, provenance::VerifyState::kTrusted) << report->reason;
  EXPECT_TRUE(report->ai_generated);
  EXPECT_NE(report->claim_generator.find("TestGen"), std::string::npos);

  // Signing twice is refused: the image already carries a manifest.
  EXPECT_EQ(Post(serve.port, "/v1/provenance/sign", signed_response.body,
                 "image/jpeg")
                .status,
            415);

  // An upload of the signed image: /v1/check reports the trusted manifest
  // and its AI-generated declaration.
  const json::object body{{"direction", "input"},
                          {"image", Base64Encode(signed_image)}};
  const testing::HttpResult checked =
      Post(serve.port, "/v1/check", json::serialize(body), "application/json");
  ASSERT_EQ(checked.status, 200) << checked.body;
  const std::string& a = checked.body;
  EXPECT_NE(a.find("\"kind\":\"provenance.manifest\",\"category\":\"trusted\""),
            std::string::npos)
      << a;
  EXPECT_NE(a.find("\"kind\":\"provenance.ai_generated\""), std::string::npos)
      << a;

  // The original has no manifest: no provenance signal at all.
  const json::object plain{{"direction", "input"},
                           {"image", Base64Encode(original)}};
  const testing::HttpResult unsigned_check =
      Post(serve.port, "/v1/check", json::serialize(plain), "application/json");
  ASSERT_EQ(unsigned_check.status, 200);
  EXPECT_EQ(unsigned_check.body.find("provenance."), std::string::npos)
      << unsigned_check.body;
  Stop(serve);
}

TEST(ProvenanceE2e, SigningWithoutACertificateIsUnavailable) {
  testing::ScratchDir dir;
  const std::string policy = testing::WritePlaceholderPolicy(dir);
  const testing::ServeProcess serve =
      testing::StartServe(dir.path(), Config(policy, ""), dir / "data");
  ASSERT_GT(serve.port, 0) << testing::Slurp(serve.log);
  const std::vector<uint8_t> image =
      testing::ReadBytes(Image("ski-rocket.jpg"));
  const testing::HttpResult r =
      Post(serve.port, "/v1/provenance/sign",
           std::string(image.begin(), image.end()), "image/jpeg");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("[provenance]"), std::string::npos) << r.body;
  Stop(serve);
}

TEST(ProvenanceE2e, BadSigningKeyStopsTheServiceNamingIt) {
  testing::ScratchDir dir;
  const std::string policy = testing::WritePlaceholderPolicy(dir);
  dir.Write(
      "serve.toml",
      Config(policy, "\n[provenance]\ncert = \"" + (dir / "missing.pem") +
                         "\"\nkey = \"" + (dir / "missing.key") + "\"\n"));
  const testing::RunResult r = testing::Bulwark(
      "serve --config " + (dir / "serve.toml") + " --data " + (dir / "data"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.pem"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bulwark

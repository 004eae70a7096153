#include "bulwark/service/config.h"

#include <gtest/gtest.h>

namespace bulwark::service {
namespace {

TEST(ServiceConfig, ParsesTheDocumentedLayout) {
  const std::string sha(64, 'a');
  Result<ServiceConfig> cfg = ParseConfig(R"(
data = "/var/lib/bulwark"
policy = "policy.toml"

[server]
listen = "0.0.0.0:9090"
max_body_mb = 5
header_timeout_ms = 1000
body_timeout_ms = 2000
idle_timeout_ms = 3000
workers = 4
max_queued = 64

[[keys]]
name = "frontend"
sha256 = ")" + sha + R"("
role = "client"

[[keys]]
name = "ops"
sha256 = ")" + std::string(64, 'B') + R"("
role = "admin"

[images]
allow_url_hosts = ["images.example.org"]
max_pixels = 1000000
)");
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->data_dir, "/var/lib/bulwark");
  EXPECT_EQ(cfg->policy_path, "policy.toml");
  EXPECT_EQ(cfg->server.host, "0.0.0.0");
  EXPECT_EQ(cfg->server.port, 9090);
  EXPECT_EQ(cfg->server.max_body_bytes, 5u << 20);
  EXPECT_EQ(cfg->server.header_timeout.count(), 1000);
  EXPECT_EQ(cfg->server.body_timeout.count(), 2000);
  EXPECT_EQ(cfg->server.idle_timeout.count(), 3000);
  EXPECT_EQ(cfg->server.workers, 4);
  EXPECT_EQ(cfg->server.max_queued, 64u);
  ASSERT_EQ(cfg->keys.size(), 2u);
  EXPECT_EQ(cfg->keys[0].name, "frontend");
  EXPECT_EQ(cfg->keys[0].sha256_hex, sha);
  EXPECT_EQ(cfg->keys[0].role, Role::kClient);
  EXPECT_EQ(cfg->keys[1].sha256_hex, std::string(64, 'b'));  // lower-cased
  EXPECT_EQ(cfg->keys[1].role, Role::kAdmin);
  EXPECT_EQ(cfg->image_url_allow_hosts,
            std::vector<std::string>{"images.example.org"});
  EXPECT_EQ(cfg->image_limits.max_pixels, 1000000u);
  EXPECT_FALSE(cfg->insecure_no_auth);
}

TEST(ServiceConfig, EmptyTextGivesTheDefaults) {
  Result<ServiceConfig> cfg = ParseConfig("");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->server.host, "127.0.0.1");
  EXPECT_EQ(cfg->server.port, 8080);
  EXPECT_TRUE(cfg->keys.empty());
}

void ExpectError(const std::string& text, const std::string& want) {
  Result<ServiceConfig> cfg = ParseConfig(text);
  ASSERT_FALSE(cfg.ok()) << text;
  EXPECT_EQ(cfg.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(cfg.error().message.find(want), std::string::npos)
      << cfg.error().message;
}

TEST(ServiceConfig, UnknownKeysAreErrorsNamingKeyAndLine) {
  ExpectError("data = \"x\"\n\n[server]\nmax_body = 3\n",
              "config line 4: unknown key 'server.max_body'");
  ExpectError("datadir = \"x\"\n", "config line 1: unknown key 'datadir'");
  ExpectError("[[keys]]\nname = \"a\"\nsha = \"b\"\n",
              "config line 3: unknown key 'keys.sha'");
  ExpectError("[images]\nmax_px = 1\n", "unknown key 'images.max_px'");
}

TEST(ServiceConfig, BadValuesAreErrors) {
  ExpectError("data = 3\n", "'data' must be a string");
  ExpectError("[server]\nworkers = \"many\"\n",
              "config line 2: 'server.workers' must be an integer");
  ExpectError("[server]\nmax_queued = 0\n", "between 1 and");
  ExpectError("[server]\nlisten = \"localhost\"\n", "expected HOST:PORT");
  ExpectError("server = 1\n", "'server' must be a table");
  ExpectError("[[keys]]\nname = \"a\"\nsha256 = \"abc\"\n", "64 hex digits");
  ExpectError("[[keys]]\nname = \"a\"\nsha256 = \"" + std::string(64, 'a') +
                  "\"\nrole = \"root\"\n",
              "'keys.role' must be");
  ExpectError("[[keys]]\nname = \"a\"\n", "needs 'name' and 'sha256'");
  const std::string key = "sha256 = \"" + std::string(64, 'a') + "\"\n";
  ExpectError(
      "[[keys]]\nname = \"a\"\n" + key + "[[keys]]\nname = \"a\"\n" + key,
      "duplicate key name 'a'");
  ExpectError("this is = not toml", "config line 1");
}

TEST(ServiceConfig, EvidenceAndAuditSections) {
  Result<ServiceConfig> cfg = ParseConfig(R"(
[evidence]
keep = true
key_file = "/etc/bulwark/evidence.key"
retention_reportable_days = 400
retention_other_days = 30
[audit]
signing_key = "/etc/bulwark/audit.pem"
checkpoint_every = 10
[[keys]]
name = "rev"
sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
role = "reviewer"
)");
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_TRUE(cfg->evidence_keep);
  EXPECT_EQ(cfg->evidence_key_file, "/etc/bulwark/evidence.key");
  EXPECT_EQ(cfg->retention_reportable_days, 400);
  EXPECT_EQ(cfg->retention_other_days, 30);
  EXPECT_EQ(cfg->audit_signing_key, "/etc/bulwark/audit.pem");
  EXPECT_EQ(cfg->audit_checkpoint_every, 10);
  EXPECT_EQ(cfg->keys.at(0).role, Role::kReviewer);
  const ServiceConfig defaults = *ParseConfig("");
  EXPECT_FALSE(defaults.evidence_keep);
  EXPECT_EQ(defaults.retention_reportable_days, 365);
  ExpectError("[evidence]\nkeep = \"yes\"\n", "'evidence.keep' must be");
  ExpectError("[evidence]\nkey = \"x\"\n", "unknown key 'evidence.key'");
  ExpectError("[evidence]\nretention_other_days = 0\n", "between 1 and");
  ExpectError("[audit]\ncheckpoint_every = 0\n", "between 1 and");
}

TEST(ServiceConfig, LoadConfigNamesTheFile) {
  Result<ServiceConfig> missing = LoadConfig("/nonexistent/bulwark.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/bulwark.toml"),
            std::string::npos);
}

TEST(ServiceConfig, ParseListenAcceptsHostPortAndBracketedIpv6) {
  ServerOptions o;
  ASSERT_TRUE(ParseListen("127.0.0.1:8080", o).ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  ASSERT_TRUE(ParseListen("[::1]:8443", o).ok());
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 8443);
  ASSERT_TRUE(ParseListen("0.0.0.0:0", o).ok());
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 0);
  ASSERT_TRUE(ParseListen("localhost:80", o).ok());
  EXPECT_EQ(o.host, "localhost");

  for (const char* bad :
       {"", "8080", ":8080", "host:", "host:http", "host:65536", "::1:8080",
        "[::1]8080", "[::1", "1.2.3.4:123456"}) {
    ServerOptions before;
    Status st = ParseListen(bad, before);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(before.port, 8080) << "options changed on error: " << bad;
  }
}

TEST(ServiceConfig, ProvenanceSection) {
  auto cfg = ParseConfig(
      "[provenance]\ncert = \"/c.pem\"\nkey = \"/k.pem\"\nalg = \"ed25519\"\n"
      "generator = \"Gen/1.0\"\ntrust_anchors = \"/roots.pem\"\n");
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->provenance_cert, "/c.pem");
  EXPECT_EQ(cfg->provenance_key, "/k.pem");
  EXPECT_EQ(cfg->provenance_alg, "ed25519");
  EXPECT_EQ(cfg->provenance_generator, "Gen/1.0");
  EXPECT_EQ(cfg->provenance_trust_anchors, "/roots.pem");
  // Defaults: no signing, ES256, "Bulwark", no anchors.
  auto plain = ParseConfig("");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->provenance_cert.empty());
  EXPECT_EQ(plain->provenance_alg, "es256");
  ExpectError("[provenance]\ncert = \"/c.pem\"\n", "both cert and key");
  ExpectError("[provenance]\ncertificate = \"/c.pem\"\n",
              "unknown key 'provenance.certificate'");
}

}  // namespace
}  // namespace bulwark::service

// `bulwark serve` configuration: a TOML file (--config), every option also
// a flag (flags win). Unknown keys are errors, so a typo cannot silently
// turn a safeguard off.
//
//   data = "./bulwark-data"         # banks (SQLite) and the key store
//   policy = "policy.toml"          # default: the built-in policy
//
//   [server]
//   listen = "127.0.0.1:8080"
//   max_body_mb = 20
//   header_timeout_ms = 10000
//   body_timeout_ms = 30000
//   idle_timeout_ms = 60000
//   workers = 0
//   max_queued = 1024
//
//   [[keys]]                        # in addition to the key store
//   name = "frontend"
//   sha256 = "..."                  # SHA-256 of the key, never the key
//   role = "client"                 # client | admin
//
//   [images]
//   allow_url_hosts = []            # remote image URLs allowed only here
//   max_pixels = 64000000
#pragma once

#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/media/decode_options.h"
#include "bulwark/service/auth.h"
#include "bulwark/service/server.h"

namespace bulwark::service {

struct ServiceConfig {
  std::string data_dir;     // empty: --data / BULWARK_DATA / ./bulwark-data
  std::string policy_path;  // empty: the built-in default policy
  ServerOptions server;
  std::vector<ApiKey> keys;
  std::vector<std::string> image_url_allow_hosts;
  media::DecodeLimits image_limits;
  bool insecure_no_auth = false;
  // [evidence]: whether content of incidents is kept (encrypted), the key's
  // file or environment variable (exactly one when keep = true), and how
  // long incidents are kept.
  bool evidence_keep = false;
  std::string evidence_key_file, evidence_key_env;
  int retention_reportable_days = 365;
  int retention_other_days = 90;
  // [audit]: the Ed25519 key (PEM) that signs checkpoints of the audit log
  // every `checkpoint_every` records; empty: no checkpoints.
  std::string audit_signing_key;
  int64_t audit_checkpoint_every = 64;
  // [provenance]: the C2PA signing certificate chain and key (PEM files;
  // both or neither: without them POST /v1/provenance/sign answers 503),
  // the algorithm ("es256", "ps256", "ed25519"), the generator named in
  // manifests ("NAME/VERSION"), and the roots incoming manifests are
  // trusted against (a PEM file; empty: none, so they are at best valid).
  std::string provenance_cert, provenance_key;
  std::string provenance_alg = "es256";
  std::string provenance_generator = "Bulwark";
  std::string provenance_trust_anchors;
};

// Parses a config file's text; kInvalidArgument naming the key and line.
Result<ServiceConfig> ParseConfig(const std::string& toml_text);
Result<ServiceConfig> LoadConfig(const std::string& path);

// "HOST:PORT" (IPv6 as "[::1]:8080") into options.host/port.
Status ParseListen(const std::string& text, ServerOptions& options);

}  // namespace bulwark::service

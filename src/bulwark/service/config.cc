#include "bulwark/service/config.h"

#include <toml++/toml.h>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace bulwark::service {
namespace {

Error ConfigError(const toml::source_region& where, const std::string& what) {
  std::string message = "config line ";
  message += std::to_string(where.begin.line);
  message += ": ";
  message += what;
  return MakeError(ErrorCode::kInvalidArgument, message);
}

std::string Quoted(std::string_view key) {
  std::string out = "'";
  out += key;
  out += '\'';
  return out;
}

// Every key of `table` must be in `known`; otherwise an error naming the
// key (with its section) and its line, so a typo cannot silently drop a
// setting such as a limit.
std::optional<Error> CheckKeys(const toml::table& table,
                               std::string_view section,
                               const std::set<std::string_view>& known) {
  for (const auto& [key, node] : table) {
    if (known.count(key.str()) != 0) continue;
    std::string name(section);
    if (!name.empty()) name += '.';
    name += key.str();
    return ConfigError(key.source(), "unknown key " + Quoted(name));
  }
  return std::nullopt;
}

Result<std::string> GetString(const toml::node& node, std::string_view name) {
  if (const auto* s = node.as_string()) return s->get();
  return ConfigError(node.source(), Quoted(name) + " must be a string");
}

Result<int64_t> GetInt(const toml::node& node, std::string_view name,
                       int64_t min, int64_t max) {
  const auto* i = node.as_integer();
  if (i == nullptr) {
    return ConfigError(node.source(), Quoted(name) + " must be an integer");
  }
  const int64_t v = i->get();
  if (v < min || v > max) {
    std::string what = Quoted(name);
    what += " must be between ";
    what += std::to_string(min);
    what += " and ";
    what += std::to_string(max);
    return ConfigError(node.source(), what);
  }
  return v;
}

bool IsLowerHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<Error> ParseServer(const toml::table& t, ServiceConfig& cfg) {
  if (auto e = CheckKeys(
          t, "server",
          {"listen", "max_body_mb", "header_timeout_ms", "body_timeout_ms",
           "idle_timeout_ms", "workers", "max_queued", "max_connections"})) {
    return e;
  }
  ServerOptions& o = cfg.server;
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  for (const auto& [key, node] : t) {
    std::string name = "server.";
    name += key.str();
    const std::string_view k = key.str();
    if (k == "listen") {
      Result<std::string> s = GetString(node, name);
      if (!s) return s.error();
      Status st = ParseListen(*s, o);
      if (!st) return ConfigError(node.source(), st.error().message);
      continue;
    }
    int64_t max = std::numeric_limits<int32_t>::max();
    int64_t min = 1;
    if (k == "max_body_mb") max = 4096;
    if (k.ends_with("_timeout_ms")) max = kDay;
    if (k == "workers") min = 0, max = 1024;
    Result<int64_t> v = GetInt(node, name, min, max);
    if (!v) return v.error();
    if (k == "max_body_mb") o.max_body_bytes = uint64_t(*v) << 20;
    if (k == "header_timeout_ms")
      o.header_timeout = std::chrono::milliseconds(*v);
    if (k == "body_timeout_ms") o.body_timeout = std::chrono::milliseconds(*v);
    if (k == "idle_timeout_ms") o.idle_timeout = std::chrono::milliseconds(*v);
    if (k == "workers") o.workers = static_cast<int>(*v);
    if (k == "max_queued") o.max_queued = static_cast<size_t>(*v);
    if (k == "max_connections") o.max_connections = static_cast<size_t>(*v);
  }
  return std::nullopt;
}

std::optional<Error> ParseKeys(const toml::node& node, ServiceConfig& cfg) {
  const toml::array* keys = node.as_array();
  if (keys == nullptr) {
    return ConfigError(node.source(),
                       "'keys' must be an array of tables "
                       "([[keys]])");
  }
  std::set<std::string> names;
  for (const toml::node& item : *keys) {
    const toml::table* t = item.as_table();
    if (t == nullptr) {
      return ConfigError(item.source(), "each 'keys' entry must be a table");
    }
    if (auto e = CheckKeys(*t, "keys", {"name", "sha256", "role"})) return e;
    ApiKey key;
    const toml::node* name = t->get("name");
    const toml::node* sha = t->get("sha256");
    if (name == nullptr || sha == nullptr) {
      return ConfigError(t->source(),
                         "each [[keys]] needs 'name' and 'sha256'");
    }
    Result<std::string> n = GetString(*name, "keys.name");
    if (!n) return n.error();
    if (n->empty()) return ConfigError(name->source(), "'keys.name' is empty");
    if (!names.insert(*n).second) {
      return ConfigError(name->source(), "duplicate key name " + Quoted(*n));
    }
    key.name = *n;
    Result<std::string> s = GetString(*sha, "keys.sha256");
    if (!s) return s.error();
    std::string hex = *s;
    for (char& c : hex) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    if (!IsLowerHex64(hex)) {
      return ConfigError(sha->source(),
                         "'keys.sha256' must be 64 hex digits (the SHA-256 "
                         "of the key, not the key)");
    }
    key.sha256_hex = hex;
    if (const toml::node* role = t->get("role")) {
      Result<std::string> r = GetString(*role, "keys.role");
      if (!r) return r.error();
      const std::optional<Role> parsed = ParseRole(*r);
      if (!parsed) {
        return ConfigError(role->source(),
                           "'keys.role' must be \"client\", \"admin\" or "
                           "\"reviewer\"");
      }
      key.role = *parsed;
    }
    cfg.keys.push_back(std::move(key));
  }
  return std::nullopt;
}

std::optional<Error> ParseImages(const toml::table& t, ServiceConfig& cfg) {
  if (auto e = CheckKeys(t, "images", {"allow_url_hosts", "max_pixels"})) {
    return e;
  }
  if (const toml::node* hosts = t.get("allow_url_hosts")) {
    const toml::array* a = hosts->as_array();
    if (a == nullptr) {
      return ConfigError(hosts->source(),
                         "'images.allow_url_hosts' must be an array of "
                         "strings");
    }
    for (const toml::node& h : *a) {
      Result<std::string> s = GetString(h, "images.allow_url_hosts");
      if (!s) return s.error();
      cfg.image_url_allow_hosts.push_back(*s);
    }
  }
  if (const toml::node* px = t.get("max_pixels")) {
    Result<int64_t> v = GetInt(*px, "images.max_pixels", 1,
                               std::numeric_limits<int64_t>::max());
    if (!v) return v.error();
    cfg.image_limits.max_pixels = static_cast<uint64_t>(*v);
  }
  return std::nullopt;
}

std::optional<Error> ParseEvidence(const toml::table& t, ServiceConfig& cfg) {
  if (auto e =
          CheckKeys(t, "evidence",
                    {"keep", "key_file", "key_env", "retention_reportable_days",
                     "retention_other_days"})) {
    return e;
  }
  if (const toml::node* keep = t.get("keep")) {
    const std::optional<bool> b = keep->value<bool>();
    if (!b)
      return ConfigError(keep->source(),
                         "'evidence.keep' must be true or false");
    cfg.evidence_keep = *b;
  }
  for (const char* name : {"key_file", "key_env"}) {
    if (const toml::node* n = t.get(name)) {
      Result<std::string> s = GetString(*n, std::string("evidence.") + name);
      if (!s) return s.error();
      (std::string(name) == "key_file" ? cfg.evidence_key_file
                                       : cfg.evidence_key_env) = *s;
    }
  }
  for (const char* name :
       {"retention_reportable_days", "retention_other_days"}) {
    if (const toml::node* n = t.get(name)) {
      Result<int64_t> v = GetInt(*n, std::string("evidence.") + name, 1, 36500);
      if (!v) return v.error();
      (std::string(name) == "retention_reportable_days"
           ? cfg.retention_reportable_days
           : cfg.retention_other_days) = static_cast<int>(*v);
    }
  }
  return std::nullopt;
}

std::optional<Error> ParseAudit(const toml::table& t, ServiceConfig& cfg) {
  if (auto e = CheckKeys(t, "audit", {"signing_key", "checkpoint_every"})) {
    return e;
  }
  if (const toml::node* n = t.get("signing_key")) {
    Result<std::string> s = GetString(*n, "audit.signing_key");
    if (!s) return s.error();
    cfg.audit_signing_key = *s;
  }
  if (const toml::node* n = t.get("checkpoint_every")) {
    Result<int64_t> v = GetInt(*n, "audit.checkpoint_every", 1, 1000000);
    if (!v) return v.error();
    cfg.audit_checkpoint_every = *v;
  }
  return std::nullopt;
}

std::optional<Error> ParseProvenance(const toml::table& t, ServiceConfig& cfg) {
  if (auto e =
          CheckKeys(t, "provenance",
                    {"cert", "key", "alg", "generator", "trust_anchors"})) {
    return e;
  }
  const std::pair<const char*, std::string*> fields[] = {
      {"cert", &cfg.provenance_cert},
      {"key", &cfg.provenance_key},
      {"alg", &cfg.provenance_alg},
      {"generator", &cfg.provenance_generator},
      {"trust_anchors", &cfg.provenance_trust_anchors}};
  for (const auto& [name, out] : fields) {
    if (const toml::node* n = t.get(name)) {
      Result<std::string> s = GetString(*n, std::string("provenance.") + name);
      if (!s) return s.error();
      *out = *s;
    }
  }
  if (cfg.provenance_cert.empty() != cfg.provenance_key.empty()) {
    return ConfigError(t.source(),
                       "[provenance] needs both cert and key, or neither");
  }
  return std::nullopt;
}

std::optional<Error> RequireTable(const toml::node& node,
                                  std::string_view name) {
  if (node.is_table()) return std::nullopt;
  std::string what = Quoted(name);
  what += " must be a table ([";
  what += name;
  what += "])";
  return ConfigError(node.source(), what);
}

}  // namespace

Status ParseListen(const std::string& text, ServerOptions& options) {
  auto bad = [&](const char* why) {
    std::string message = "listen address '";
    message += text;
    message += "': ";
    message += why;
    return MakeError(ErrorCode::kInvalidArgument, message);
  };
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("expected [IPv6]:PORT");
    }
    port_text = std::string_view(text).substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return bad("expected HOST:PORT");
    host = text.substr(0, colon);
    if (host.find(':') != std::string::npos) {
      return bad("write IPv6 addresses in brackets, e.g. [::1]:8080");
    }
    port_text = std::string_view(text).substr(colon + 1);
  }
  if (host.empty()) return bad("missing host");
  if (port_text.empty() || port_text.size() > 5) return bad("bad port");
  int port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return bad("bad port");
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return bad("port beyond 65535");
  options.host = host;
  options.port = port;
  return Ok{};
}

Result<ServiceConfig> ParseConfig(const std::string& toml_text) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return ConfigError(e.source(), std::string(e.description()));
  }
  if (auto e = CheckKeys(root, "",
                         {"data", "policy", "server", "keys", "images",
                          "evidence", "audit", "provenance"})) {
    return *e;
  }
  ServiceConfig cfg;
  for (const auto& [key, node] : root) {
    const std::string_view k = key.str();
    std::optional<Error> err;
    if (k == "data" || k == "policy") {
      Result<std::string> s = GetString(node, k);
      if (!s) return s.error();
      (k == "data" ? cfg.data_dir : cfg.policy_path) = *s;
    } else if (k == "server") {
      err = RequireTable(node, k);
      if (!err) err = ParseServer(*node.as_table(), cfg);
    } else if (k == "keys") {
      err = ParseKeys(node, cfg);
    } else if (k == "images") {
      err = RequireTable(node, k);
      if (!err) err = ParseImages(*node.as_table(), cfg);
    } else if (k == "evidence") {
      err = RequireTable(node, k);
      if (!err) err = ParseEvidence(*node.as_table(), cfg);
    } else if (k == "audit") {
      err = RequireTable(node, k);
      if (!err) err = ParseAudit(*node.as_table(), cfg);
    } else if (k == "provenance") {
      err = RequireTable(node, k);
      if (!err) err = ParseProvenance(*node.as_table(), cfg);
    }
    if (err) return *err;
  }
  return cfg;
}

Result<ServiceConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "cannot open config " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  Result<ServiceConfig> cfg = ParseConfig(text.str());
  if (!cfg) {
    std::string message = path;
    message += ": ";
    message += cfg.error().message;
    return MakeError(cfg.error().code, message);
  }
  return cfg;
}

}  // namespace bulwark::service

#include "bulwark/service/key_store.h"

#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "bulwark/core/durable_file.h"
#include "bulwark/core/file.h"

namespace bulwark::service {
namespace {

namespace json = boost::json;

constexpr uint64_t kMaxStoreBytes = 16 << 20;
constexpr unsigned kStoreMode = 0600;

Error Corrupt(const std::string& path, const std::string& what) {
  std::string message = path;
  message += ": not a valid key store: ";
  message += what;
  return MakeError(ErrorCode::kCorrupt, message);
}

bool IsHex64(std::string& s) {
  if (s.size() != 64) return false;
  for (char& c : s) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::vector<ApiKey>> ParseStore(const std::string& path,
                                       const std::string& text) {
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return Corrupt(path, ec.message());
  if (!root.is_array()) return Corrupt(path, "expected a JSON array");
  std::vector<ApiKey> keys;
  std::set<std::string> names;
  for (const json::value& item : root.as_array()) {
    const std::string where = "entry " + std::to_string(keys.size() + 1);
    const json::object* obj = item.if_object();
    if (obj == nullptr) return Corrupt(path, where + " is not an object");
    const json::value* name = obj->if_contains("name");
    const json::value* sha = obj->if_contains("sha256");
    const json::value* role = obj->if_contains("role");
    if (name == nullptr || !name->is_string() || name->as_string().empty() ||
        sha == nullptr || !sha->is_string() || role == nullptr ||
        !role->is_string()) {
      return Corrupt(path, where + " needs string name, sha256 and role");
    }
    ApiKey key;
    key.name = json::value_to<std::string>(*name);
    key.sha256_hex = json::value_to<std::string>(*sha);
    if (!IsHex64(key.sha256_hex)) {
      return Corrupt(path, where + ": sha256 must be 64 hex digits");
    }
    const std::optional<Role> r = ParseRole(std::string(role->as_string()));
    if (!r) {
      return Corrupt(path, where +
                               ": role must be \"client\", \"admin\" or "
                               "\"reviewer\"");
    }
    key.role = *r;
    if (!names.insert(key.name).second) {
      return Corrupt(path, "duplicate key name \"" + key.name + "\"");
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string Serialize(const std::vector<ApiKey>& keys) {
  json::array root;
  for (const ApiKey& key : keys) {
    json::object obj;
    obj["name"] = key.name;
    obj["sha256"] = key.sha256_hex;
    obj["role"] = RoleName(key.role);
    root.push_back(std::move(obj));
  }
  // One key per line keeps the file readable and diffable by operators.
  std::string text = "[\n";
  for (size_t i = 0; i < root.size(); ++i) {
    text += "  ";
    text += json::serialize(root[i]);
    text += i + 1 < root.size() ? ",\n" : "\n";
  }
  text += "]\n";
  return text;
}

}  // namespace

std::string KeyStorePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "api-keys.json").string();
}

Result<std::vector<ApiKey>> LoadOrCreateKeyStore(
    const std::string& data_dir, std::optional<std::string>* new_admin_key) {
  if (new_admin_key != nullptr) new_admin_key->reset();
  const std::string path = KeyStorePath(data_dir);
  std::error_code fs_ec;
  if (std::filesystem::exists(path, fs_ec)) {
    Result<std::vector<uint8_t>> bytes = ReadFile(path, kMaxStoreBytes);
    if (!bytes) return bytes.error();
    return ParseStore(path, std::string(bytes->begin(), bytes->end()));
  }
  if (fs_ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot check " + path + ": " + fs_ec.message());
  }

  std::filesystem::create_directories(data_dir, fs_ec);
  if (fs_ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + data_dir + ": " + fs_ec.message());
  }
  std::string key = NewApiKey();
  std::vector<ApiKey> keys = {ApiKey{"admin", HashApiKey(key), Role::kAdmin}};
  Status saved = SaveKeyStore(data_dir, keys);
  if (!saved) return saved.error();
  if (new_admin_key != nullptr) *new_admin_key = std::move(key);
  return keys;
}

Status SaveKeyStore(const std::string& data_dir,
                    const std::vector<ApiKey>& keys) {
  return WriteFileDurably(KeyStorePath(data_dir), Serialize(keys), kStoreMode);
}

}  // namespace bulwark::service

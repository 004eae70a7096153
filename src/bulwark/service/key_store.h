// The service's own API keys: DATA_DIR/api-keys.json, a JSON array of
// {"name", "sha256", "role"} objects. Only SHA-256 digests are stored; a
// key's text exists once, when it is made, to be shown to the operator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/service/auth.h"

namespace bulwark::service {

// DATA_DIR/api-keys.json.
std::string KeyStorePath(const std::string& data_dir);

// Reads the key store. When it does not exist yet, creates DATA_DIR if
// needed and the store with one admin key named "admin" (mode 0600, written
// durably), and sets *new_admin_key to that key's text so the caller can
// print it once; otherwise *new_admin_key is reset. kCorrupt naming the file
// when it is not a valid key store.
Result<std::vector<ApiKey>> LoadOrCreateKeyStore(
    const std::string& data_dir, std::optional<std::string>* new_admin_key);

// Replaces the key store with `keys` (durably, mode 0600): for commands that
// add or revoke keys.
Status SaveKeyStore(const std::string& data_dir,
                    const std::vector<ApiKey>& keys);

}  // namespace bulwark::service

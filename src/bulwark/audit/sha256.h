// SHA-256 for the audit chain and key ids, through OpenSSL's EVP interface.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::audit {

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace bulwark::audit

// Request-target parsing shared by the server and the router: percent
// decoding and the query string.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::service {

// %XX decoding; with `plus_is_space` (query strings, form encoding) '+'
// decodes to ' '. nullopt for a truncated or non-hex escape.
std::optional<std::string> PercentDecode(std::string_view text,
                                         bool plus_is_space);

struct Target {
  std::string raw_path;  // as sent, still percent-encoded
  std::string path;      // decoded
  std::map<std::string, std::string> query;
};

// Splits an origin-form request target ("/a/b?x=1&y") into its decoded
// path and query parameters (the first value wins for a repeated name).
// nullopt when it is not origin-form or holds a bad escape.
std::optional<Target> ParseTarget(std::string_view target);

}  // namespace bulwark::service

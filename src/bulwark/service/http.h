// The plain request and response values routes see: no Beast types leak
// into handlers, so routes are testable without a socket.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::service {

// kReviewer is deliberately separate from the others: it sees held content
// (through the review endpoints only) and nothing else.
enum class Role { kClient, kAdmin, kReviewer };

const char* RoleName(Role r);  // "client", "admin", "reviewer"
// kInvalidArgument-free parse: nullopt for anything else.
std::optional<Role> ParseRole(const std::string& name);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query: "/v1/banks/x"
  std::map<std::string, std::string> query;    // decoded ?k=v pairs
  std::map<std::string, std::string> params;   // from the route: {name}
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  // Set by authentication before the handler runs: the caller's roles and
  // the key's name (never the key itself).
  std::vector<Role> roles;
  std::string key_name;

  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers
};

}  // namespace bulwark::service

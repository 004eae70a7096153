#include "bulwark/service/router.h"

#include <boost/json.hpp>
#include <set>
#include <string_view>

#include "bulwark/service/url.h"

namespace bulwark::service {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Literal segments matched, or -1 when `pattern` does not match. Path
// segments are decoded one by one, so "%2F" inside a {name} stays part of
// that name instead of splitting it.
int Match(std::string_view pattern, const std::vector<std::string_view>& path,
          std::map<std::string, std::string>* params) {
  const std::vector<std::string_view> want = Split(pattern);
  if (want.size() != path.size()) return -1;
  int literals = 0;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    std::optional<std::string> decoded = PercentDecode(path[i], false);
    std::string segment = decoded ? *decoded : std::string(path[i]);
    if (IsParam(want[i])) {
      if (segment.empty()) return -1;
      found[std::string(want[i].substr(1, want[i].size() - 2))] =
          std::move(segment);
    } else if (segment == want[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return literals;
}

const char* ErrorType(int status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
    case 405:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
    default:
      return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

std::variant<Router::Found, Response> Router::Find(
    const std::string& method, const std::string& path) const {
  const std::vector<std::string_view> segments = Split(path);
  // The most literal match wins, so "/v1/banks/search" beats
  // "/v1/banks/{name}" whatever order they were added in.
  Found best;
  int best_literals = -1;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    const int literals = Match(route.pattern, segments, &params);
    if (literals < 0) continue;
    if (route.method != method) {
      allowed.insert(route.method);
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
      best.params = std::move(params);
    }
  }
  if (best.route != nullptr) return best;
  if (allowed.empty()) {
    return ErrorResponse(404, "No route for " + path, "not_found");
  }
  std::string allow;
  for (const std::string& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  std::string message = "Method ";
  message += method;
  message += " is not allowed here; allowed: ";
  message += allow;
  Response response = ErrorResponse(405, message, "method_not_allowed");
  response.headers["Allow"] = allow;
  return response;
}

Response ErrorResponse(int status, const std::string& message,
                       const std::string& code, const std::string& param) {
  boost::json::object error;
  error["message"] = message;
  error["type"] = ErrorType(status);
  error["param"] =
      param.empty() ? boost::json::value(nullptr) : boost::json::value(param);
  error["code"] =
      code.empty() ? boost::json::value(nullptr) : boost::json::value(code);
  boost::json::object body;
  body["error"] = std::move(error);
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace bulwark::service

// Routes: method + path pattern ("/v1/banks/{name}/entries") -> handler,
// with the role a caller needs. Unknown paths answer 404, known paths with
// another method 405 (with Allow), both in the JSON error shape.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bulwark/service/http.h"

namespace bulwark::service {

using Handler = std::function<Response(const Request&)>;

enum class Access {
  kPublic,    // no key needed (/healthz, /readyz, /metrics, /openapi.json)
  kClient,    // a key with role client or admin
  kAdmin,     // a key with role admin
  kReviewer,  // a key with role reviewer (the review queue)
};

// How the route should run: cheap handlers on the network thread, anything
// that decodes, hashes or touches the store on the worker pool.
enum class Cost { kCheap, kWork };

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kClient;
  Cost cost = Cost::kWork;
  Handler handler;
};

class Router {
 public:
  void Add(Route route);

  struct Found {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
  };
  // The route for method + path; a Response (404/405) when there is none.
  std::variant<Found, Response> Find(const std::string& method,
                                     const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

// {"error":{"message","type","param","code"}}, the OpenAI error shape,
// with `type` derived from the status ("invalid_request_error",
// "authentication_error", "permission_error", "not_found_error",
// "rate_limit_error", "server_error").
Response ErrorResponse(int status, const std::string& message,
                       const std::string& code = "",
                       const std::string& param = "");

}  // namespace bulwark::service

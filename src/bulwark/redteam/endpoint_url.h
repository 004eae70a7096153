// The moderation endpoint's URL, split for the HTTP client. The service's
// image URL parser (service/image_fetcher.h) guards against URLs a client
// names; the endpoint is the operator's own choice, so this one only has to
// be correct, not suspicious.
#pragma once

#include <cstdint>
#include <string>

#include "bulwark/core/result.h"

namespace bulwark::redteam {

struct EndpointUrl {
  bool https = false;
  std::string host;    // lower-cased; an IPv6 literal without brackets
  uint16_t port = 0;   // the explicit port, else 80 / 443
  std::string target;  // path and query, "/" when the URL has none
};

// http(s)://host[:port][/path][?query]; kInvalidArgument saying what is
// wrong (another scheme, no host, user info, a bad port, spaces).
Result<EndpointUrl> ParseEndpointUrl(const std::string& url);

// The Host header's value: "host", "host:port", "[::1]:8080".
std::string HostHeader(const EndpointUrl& url);

}  // namespace bulwark::redteam

#include "bulwark/redteam/endpoint_url.h"

#include "bulwark/core/ascii.h"

namespace bulwark::redteam {
namespace {

Error Invalid(const std::string& url, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "target URL '" + url + "': " + what);
}

}  // namespace

Result<EndpointUrl> ParseEndpointUrl(const std::string& url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return Invalid(url, "holds a space, control or non-ASCII character");
    }
  }
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return Invalid(url, "no http:// or https://");
  EndpointUrl out;
  const std::string scheme = AsciiLower(std::string_view(url).substr(0, sep));
  if (scheme == "https") {
    out.https = true;
  } else if (scheme != "http") {
    return Invalid(url, "only http and https are supported");
  }
  const size_t start = sep + 3;
  const size_t end = url.find_first_of("/?#", start);
  const std::string authority =
      url.substr(start, end == std::string::npos ? end : end - start);
  if (authority.find('@') != std::string::npos) {
    return Invalid(url, "user info in the URL is not supported; use --key");
  }
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return Invalid(url, "bad IPv6 host");
    out.host = authority.substr(1, close - 1);
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return Invalid(url, "bad host");
      port = rest.substr(1);
      if (port.empty()) return Invalid(url, "bad port");
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return Invalid(url, "bad port");
    }
  }
  if (out.host.empty()) return Invalid(url, "no host");
  out.host = AsciiLower(out.host);
  out.port = out.https ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 65535) return Invalid(url, "bad port");
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return Invalid(url, "bad port");
    out.port = static_cast<uint16_t>(value);
  }
  out.target = end == std::string::npos ? "/" : url.substr(end);
  out.target = out.target.substr(0, out.target.find('#'));
  if (out.target.empty() || out.target[0] != '/') {
    std::string rooted = "/";
    rooted += out.target;
    out.target = std::move(rooted);
  }
  return out;
}

std::string HostHeader(const EndpointUrl& url) {
  // Built with += only: g++ 12 warns falsely (-Wrestrict) on the
  // operator+ forms here.
  const bool v6 = url.host.find(':') != std::string::npos;
  std::string h;
  if (v6) h += '[';
  h += url.host;
  if (v6) h += ']';
  if (url.port != (url.https ? 443 : 80)) {
    h += ':';
    h += std::to_string(url.port);
  }
  return h;
}

}  // namespace bulwark::redteam

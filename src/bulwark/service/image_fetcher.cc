#include "bulwark/service/image_fetcher.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>

#include "bulwark/core/ascii.h"
#include "bulwark/service/tls_connect.h"

namespace bulwark::service {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<uint8_t>;

Error Invalid(const std::string& msg) {
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Letters, digits, '-', '.', '_': what a DNS name or an IPv4 literal holds.
// Anything else (percent escapes, IDN bytes, '\') is refused rather than
// interpreted, since URL parsers disagree on exactly those and an allow-list
// check is only as good as the agreement between its parser and the
// resolver's.
bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) ||
         c == '-' || c == '.' || c == '_';
}

// "host" or "host:port" as the Host header wants it.
std::string HostHeader(const ImageUrl& u) {
  std::string h = u.host.find(':') != std::string::npos ? "[" : "";
  h += u.host;
  if (u.host.find(':') != std::string::npos) h += "]";
  if (u.port != (u.https ? 443 : 80)) {
    h += ":";
    h += std::to_string(u.port);
  }
  return h;
}

class Fetch {
 public:
  Fetch(const ImageUrl& url, const FetchOptions& options)
      : url_(url),
        options_(options),
        deadline_(Clock::now() + options.timeout) {}

  Error Fail(const std::string& what, const beast::error_code& ec) const {
    std::string msg = "fetching from host '";
    msg += url_.host;
    msg += "': ";
    if (ec == beast::error::timeout) {
      msg += "no complete answer within ";
      msg += std::to_string(options_.timeout.count());
      msg += " ms";
    } else {
      msg += what;
      if (ec) {
        msg += ": ";
        msg += ec.message();
      }
    }
    return MakeError(ErrorCode::kIo, msg);
  }

  Error Limit(const std::string& what) const {
    std::string msg = "fetching from host '";
    msg += url_.host;
    msg += "': ";
    msg += what;
    msg += " (the limit is ";
    msg += std::to_string(options_.max_bytes);
    msg += " bytes)";
    return MakeError(ErrorCode::kLimitExceeded, msg);
  }

  Result<Bytes> Plain() {
    beast::tcp_stream stream(ioc_);
    if (auto failed = ConnectClient(ioc_, url_.host, url_.port, deadline_,
                                    stream, nullptr)) {
      return Fail(failed->what, failed->ec);
    }
    return Exchange(stream, stream);
  }

  Result<Bytes> Tls() {
    ssl::stream<beast::tcp_stream> stream(ioc_, ClientContext());
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    if (auto failed = ConnectClient(ioc_, url_.host, url_.port, deadline_, tcp,
                                    &stream)) {
      return Fail(failed->what, failed->ec);
    }
    // No close_notify afterwards: the body is complete by then, and
    // waiting for the peer's answer would only spend the time budget.
    return Exchange(stream, tcp);
  }

 private:
  // One context for every fetch: loading the trust store per request would
  // cost more than the request.
  static ssl::context& ClientContext() {
    static ssl::context context = MakeTlsClientContext();
    return context;
  }

  template <typename Stream>
  Result<Bytes> Exchange(Stream& stream, beast::tcp_stream& tcp) {
    http::request<http::empty_body> req{http::verb::get, url_.target, 11};
    req.set(http::field::host, HostHeader(url_));
    req.set(http::field::user_agent, "bulwark");
    req.set(http::field::accept, "image/*");
    req.set(http::field::connection, "close");
    tcp.expires_at(deadline_);
    beast::error_code ec = RunOne(ioc_, [&](auto handler) {
      http::async_write(stream, req, std::move(handler));
    });
    if (ec) return Fail("cannot send the request", ec);

    beast::flat_buffer buffer;
    http::response_parser<http::vector_body<uint8_t>> parser;
    // Caps chunked and close-delimited bodies as they arrive, and makes
    // the parser refuse a larger Content-Length before reading any body.
    parser.body_limit(options_.max_bytes);
    tcp.expires_at(deadline_);
    ec = RunOne(ioc_, [&](auto handler) {
      http::async_read_header(stream, buffer, parser, std::move(handler));
    });
    if (ec == http::error::body_limit) {
      return Limit("the response declares a larger body");
    }
    if (ec) return Fail("cannot read the response", ec);

    const unsigned status = parser.get().result_int();
    if (status != 200) {
      std::string what = "the server answered ";
      what += std::to_string(status);
      if (!parser.get().reason().empty()) {
        what += " ";
        what += std::string(parser.get().reason());
      }
      if (status >= 300 && status < 400) {
        // A redirect could point anywhere, including inside the network
        // the allow-list keeps out of reach.
        std::string msg = "fetching from host '";
        msg += url_.host;
        msg += "': ";
        msg += what;
        msg += "; redirects are not followed";
        return MakeError(ErrorCode::kUnsupported, msg);
      }
      return Fail(what + ", not 200", {});
    }
    if (const auto length = parser.content_length();
        length && *length > options_.max_bytes) {
      return Limit("the response declares a larger body");
    }

    tcp.expires_at(deadline_);
    ec = RunOne(ioc_, [&](auto handler) {
      http::async_read(stream, buffer, parser, std::move(handler));
    });
    if (ec == http::error::body_limit) {
      return Limit("the response body is larger");
    }
    // A TLS peer that closes without close_notify after a complete body is
    // harmless; before it, the body may be cut short and is refused.
    if (ec && !(ec == ssl::error::stream_truncated && parser.is_done())) {
      return Fail("cannot read the response body", ec);
    }
    return std::move(parser.release().body());
  }

  const ImageUrl& url_;
  const FetchOptions& options_;
  const Clock::time_point deadline_;
  net::io_context ioc_{1};
};

}  // namespace

Result<ImageUrl> ParseImageUrl(const std::string& url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\\') {
      return Invalid(
          "the URL holds a space, control, non-ASCII or '\\' character");
    }
  }
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return Invalid("the URL has no scheme");
  ImageUrl out;
  const std::string scheme = AsciiLower(std::string_view(url).substr(0, sep));
  if (scheme == "https") {
    out.https = true;
  } else if (scheme != "http") {
    return Invalid("only http and https URLs can be fetched");
  }
  const size_t start = sep + 3;
  const size_t end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(
      start, end == std::string::npos ? std::string::npos : end - start);
  if (authority.find('@') != std::string::npos) {
    return Invalid("URLs with a user name or password are refused");
  }
  std::string host;
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return Invalid("the URL's host is bad");
    host = authority.substr(1, close - 1);
    boost::system::error_code ec;
    net::ip::make_address_v6(host, ec);
    if (ec) return Invalid("the URL's IPv6 host is bad");
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return Invalid("the URL's host is bad");
      port = rest.substr(1);
      if (port.empty()) return Invalid("the URL's port is bad");
    }
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return Invalid("the URL's port is bad");
    }
    for (char c : host) {
      if (!IsHostChar(c)) return Invalid("the URL's host is bad");
    }
  }
  if (host.empty()) return Invalid("the URL has no host");
  out.host = AsciiLower(host);
  out.port = out.https ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5) return Invalid("the URL's port is bad");
    unsigned value = 0;
    for (char c : port) {
      if (!IsDigit(c)) return Invalid("the URL's port is bad");
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return Invalid("the URL's port is bad");
    out.port = static_cast<uint16_t>(value);
  }
  if (end == std::string::npos) {
    out.target = "/";
  } else {
    std::string rest = url.substr(end);
    rest = rest.substr(0, rest.find('#'));  // fragments stay client-side
    if (rest.empty() || rest[0] != '/') rest.insert(rest.begin(), '/');
    out.target = std::move(rest);
  }
  return out;
}

bool HostAllowed(const std::string& host,
                 const std::vector<std::string>& allow_hosts) {
  for (const std::string& entry : allow_hosts) {
    std::string_view e = entry;
    // "[::1]" in the config means the same host as "::1".
    if (e.size() >= 2 && e.front() == '[' && e.back() == ']') {
      e = e.substr(1, e.size() - 2);
    }
    if (!host.empty() && EqualsIgnoreAsciiCase(e, host)) return true;
  }
  return false;
}

Result<std::vector<uint8_t>> FetchImage(const std::string& url,
                                        const FetchOptions& options) {
  auto parsed = ParseImageUrl(url);
  if (!parsed.ok()) return parsed.error();
  if (!HostAllowed(parsed->host, options.allow_hosts)) {
    std::string msg = "host '";
    msg += parsed->host;
    msg += "' is not in [images] allow_url_hosts";
    return Invalid(msg);
  }
  Fetch fetch(*parsed, options);
  return parsed->https ? fetch.Tls() : fetch.Plain();
}

}  // namespace bulwark::service

#include "bulwark/service/image_fetcher.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>

#include "bulwark/core/ascii.h"

namespace bulwark::service {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
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

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
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

// Starts one asynchronous operation and runs the private io_context until
// its handler has run. The stream's expiry (beast::tcp_stream) is what
// bounds the wait: synchronous Asio calls have no timeouts.
template <typename Initiate>
beast::error_code RunOne(net::io_context& ioc, Initiate&& initiate) {
  beast::error_code result = net::error::operation_aborted;
  bool done = false;
  std::forward<Initiate>(initiate)([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  while (!done && ioc.run_one() != 0) {
  }
  return result;
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

  Result<tcp::resolver::results_type> Resolve() {
    // Synchronous: Asio cannot interrupt getaddrinfo either way, so a slow
    // DNS answer is bounded by the resolver's own timeouts, not ours.
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
    if (ec) return Fail("cannot resolve the host", ec);
    if (Clock::now() >= deadline_) return Fail("", beast::error::timeout);
    return endpoints;
  }

  Result<Bytes> Plain() {
    auto endpoints = Resolve();
    if (!endpoints.ok()) return endpoints.error();
    beast::tcp_stream stream(ioc_);
    stream.expires_at(deadline_);
    beast::error_code ec = RunOne(ioc_, [&](auto handler) {
      stream.async_connect(*endpoints, std::move(handler));
    });
    if (ec) return Fail("cannot connect", ec);
    return Exchange(stream, stream);
  }

  Result<Bytes> Tls() {
    auto endpoints = Resolve();
    if (!endpoints.ok()) return endpoints.error();
    ssl::stream<beast::tcp_stream> stream(ioc_, ClientContext());
    // SNI carries names only, never IP literals (RFC 6066).
    if (!IsIpLiteral(url_.host) &&
        SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str()) !=
            1) {
      return Fail("cannot set the TLS server name", {});
    }
    beast::error_code ec;
    stream.set_verify_callback(ssl::host_name_verification(url_.host), ec);
    if (ec) return Fail("cannot set up certificate verification", ec);
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    tcp.expires_at(deadline_);
    ec = RunOne(ioc_, [&](auto handler) {
      tcp.async_connect(*endpoints, std::move(handler));
    });
    if (ec) return Fail("cannot connect", ec);
    tcp.expires_at(deadline_);
    ec = RunOne(ioc_, [&](auto handler) {
      stream.async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) return Fail("TLS handshake failed", ec);
    // No close_notify afterwards: the body is complete by then, and
    // waiting for the peer's answer would only spend the time budget.
    return Exchange(stream, tcp);
  }

 private:
  // One context for every fetch: loading the trust store per request would
  // cost more than the request. An SSL_CTX is safe to share across threads
  // once configured.
  static ssl::context& ClientContext() {
    static ssl::context context = [] {
      ssl::context c(ssl::context::tls_client);
      boost::system::error_code ec;
      // Without a trust store every verification fails: safe, and the
      // handshake error says so.
      c.set_default_verify_paths(ec);
      c.set_verify_mode(ssl::verify_peer, ec);
      SSL_CTX_set_min_proto_version(c.native_handle(), TLS1_2_VERSION);
      return c;
    }();
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

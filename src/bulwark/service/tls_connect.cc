#include "bulwark/service/tls_connect.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace bulwark::service {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

ssl::context MakeTlsClientContext() {
  ssl::context c(ssl::context::tls_client);
  boost::system::error_code ec;
  c.set_default_verify_paths(ec);
  c.set_verify_mode(ssl::verify_peer, ec);
  SSL_CTX_set_min_proto_version(c.native_handle(), TLS1_2_VERSION);
  return c;
}

std::optional<ConnectFailure> ConnectClient(
    net::io_context& ioc, const std::string& host, uint16_t port,
    std::chrono::steady_clock::time_point deadline, beast::tcp_stream& stream,
    ssl::stream<beast::tcp_stream>* tls) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return ConnectFailure{"cannot resolve the host", ec};
  if (std::chrono::steady_clock::now() >= deadline) {
    return ConnectFailure{"", beast::error::timeout};
  }
  if (tls) {
    if (!IsIpLiteral(host) &&
        SSL_set_tlsext_host_name(tls->native_handle(), host.c_str()) != 1) {
      return ConnectFailure{"cannot set the TLS server name", {}};
    }
    tls->set_verify_callback(ssl::host_name_verification(host), ec);
    if (ec) return ConnectFailure{"cannot set up certificate verification", ec};
  }
  stream.expires_at(deadline);
  ec = RunOne(ioc, [&](auto handler) {
    stream.async_connect(endpoints, std::move(handler));
  });
  if (ec) return ConnectFailure{"cannot connect", ec};
  if (tls) {
    stream.expires_at(deadline);
    ec = RunOne(ioc, [&](auto handler) {
      tls->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) return ConnectFailure{"TLS handshake failed", ec};
  }
  return std::nullopt;
}

}  // namespace bulwark::service

// The client side of an outgoing http(s) connection, shared by the image
// fetcher and the red-team's moderation endpoint target: synchronous Beast
// over a private io_context, each step bounded by the stream's expiry
// (synchronous Asio calls have no timeouts of their own).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace bulwark::service {

// Starts one asynchronous operation and runs the io_context until its
// handler has run; the operation's error code.
template <typename Initiate>
boost::beast::error_code RunOne(boost::asio::io_context& ioc,
                                Initiate&& initiate) {
  boost::beast::error_code result = boost::asio::error::operation_aborted;
  bool done = false;
  std::forward<Initiate>(initiate)([&](boost::beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  while (!done && ioc.run_one() != 0) {
  }
  return result;
}

// A TLS client context: the system's trust store (without one every
// verification fails: safe, and the handshake error says so), peer
// verification, TLS 1.2 or later. Safe to share across threads.
boost::asio::ssl::context MakeTlsClientContext();

// What step failed and why, for the caller's error message; `ec` is
// beast::error::timeout when the deadline passed.
struct ConnectFailure {
  std::string what;
  boost::beast::error_code ec;
};

// Resolves host:port and connects `tcp`. With `tls` (whose lowest layer
// `tcp` is) it then sends the server name (SNI, for host names only, never
// IP literals: RFC 6066), checks the certificate against `host` and
// handshakes. The connect and the handshake are bounded by `deadline`, the
// resolve by the resolver's own timeouts (Asio cannot interrupt
// getaddrinfo), then checked against it.
std::optional<ConnectFailure> ConnectClient(
    boost::asio::io_context& ioc, const std::string& host, uint16_t port,
    std::chrono::steady_clock::time_point deadline,
    boost::beast::tcp_stream& tcp,
    boost::asio::ssl::stream<boost::beast::tcp_stream>* tls);

}  // namespace bulwark::service

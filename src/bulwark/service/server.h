// The HTTP/1.1 server (Boost.Beast/Asio): accepts connections on one
// network thread, reads requests with header and body timeouts and a body
// limit, authenticates them, runs cheap routes inline and the rest on a
// bounded worker pool (so decoding never blocks the network thread), and
// writes responses with keep-alive. Stop() (from SIGTERM) stops accepting,
// lets requests in flight finish and their responses go out, then Run()
// returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/service/auth.h"
#include "bulwark/service/metrics.h"
#include "bulwark/service/router.h"

namespace bulwark::service {

struct ServerOptions {
  std::string host = "127.0.0.1";         // loopback unless told otherwise
  int port = 8080;                        // 0: any free port (see Server::port)
  uint64_t max_body_bytes = 20ull << 20;  // larger bodies get 413
  uint64_t max_header_bytes = 16 << 10;   // larger headers get 431
  // A client must send its headers within header_timeout of connecting
  // (or of its previous response), and its body within body_timeout of
  // the headers; an idle keep-alive connection closes after idle_timeout.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  int workers = 0;                // CPU work threads; 0: one per core
  size_t max_queued = 1024;       // requests waiting for a worker; beyond: 503
  size_t max_connections = 4096;  // beyond: accepted and closed at once
};

class Server {
 public:
  // `auth` and `metrics` must outlive the server.
  Server(ServerOptions options, Router router, const Authenticator& auth,
         Metrics& metrics);
  ~Server();

  // Binds and listens; kIo naming the address when that fails.
  Status Start();
  int port() const;  // the bound port, after Start

  // Serves until Stop() has drained everything. Call once, after Start.
  void Run();
  // Thread-safe and async-signal-safe to call via a signal set; idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::service

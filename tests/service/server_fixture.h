// A Server on 127.0.0.1 (any free port) running on its own thread for the
// life of the object, with short timeouts so timeout tests run quickly.
#pragma once

#include <gtest/gtest.h>

#include <thread>

#include "bulwark/service/server.h"

namespace bulwark::testing {

inline service::ServerOptions FastOptions() {
  service::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.header_timeout = std::chrono::milliseconds(2000);
  o.body_timeout = std::chrono::milliseconds(2000);
  o.idle_timeout = std::chrono::milliseconds(2000);
  o.workers = 2;
  o.max_queued = 16;
  return o;
}

class RunningServer {
 public:
  explicit RunningServer(
      service::Router router, service::ServerOptions options = FastOptions(),
      service::Authenticator auth = service::Authenticator::Insecure())
      : auth_(std::move(auth)),
        server_(std::move(options), std::move(router), auth_, metrics_) {
    Status started = server_.Start();
    EXPECT_TRUE(started.ok()) << started.error().ToString();
    if (started.ok()) thread_ = std::thread([this] { server_.Run(); });
  }
  ~RunningServer() { StopAndJoin(); }

  void StopAndJoin() {
    server_.Stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return server_.port(); }
  service::Metrics& metrics() { return metrics_; }
  service::Server& server() { return server_; }

 private:
  service::Authenticator auth_;
  service::Metrics metrics_;
  service::Server server_;
  std::thread thread_;
};

}  // namespace bulwark::testing

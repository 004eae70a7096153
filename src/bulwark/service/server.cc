#include "bulwark/service/server.h"

#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "bulwark/service/session.h"

namespace bulwark::service {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Server::Impl {
  Impl(ServerOptions o, Router r, const Authenticator& a, Metrics& m)
      : options(std::move(o)), router(std::move(r)), auth(a), metrics(m) {}

  void Accept();
  void DoStop();

  ServerOptions options;
  Router router;
  const Authenticator& auth;
  Metrics& metrics;
  // Declared before the io_context so that it is destroyed after it:
  // handlers still queued at destruction own sessions, and sessions
  // unregister from the context when they die.
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<SessionContext> context;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_retry{ioc};
  std::atomic<bool> stop_requested{false};
  int port = 0;
};

void Server::Impl::Accept() {
  acceptor.async_accept(
      [this](boost::system::error_code ec, tcp::socket socket) {
        if (context->stopping) return;
        if (ec) {
          // Out of file descriptors, most likely: pause instead of spinning.
          std::cerr << "bulwark serve: accept failed: " << ec.message() << '\n';
          accept_retry.expires_after(std::chrono::milliseconds(100));
          accept_retry.async_wait([this](boost::system::error_code wait_ec) {
            if (!wait_ec && !context->stopping) Accept();
          });
          return;
        }
        if (context->sessions.size() >= options.max_connections) {
          boost::system::error_code ignored;
          socket.close(ignored);
        } else {
          std::make_shared<Session>(std::move(socket), *context)->Start();
        }
        Accept();
      });
}

void Server::Impl::DoStop() {
  if (context->stopping) return;
  context->stopping = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  accept_retry.cancel();
  // Close() removes a session from the set, so walk a copy.
  std::vector<Session*> sessions(context->sessions.begin(),
                                 context->sessions.end());
  for (Session* session : sessions) session->OnServerStop();
}

Server::Server(ServerOptions options, Router router, const Authenticator& auth,
               Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), auth,
                                   metrics)) {}

Server::~Server() {
  if (impl_->pool) impl_->pool->Shutdown();
}

Status Server::Start() {
  Impl& s = *impl_;
  auto fail = [&](const std::string& what,
                  const boost::system::error_code& ec) {
    std::string message = what;
    message += " ";
    message += s.options.host;
    message += ":";
    message += std::to_string(s.options.port);
    message += ": ";
    message += ec.message();
    return MakeError(ErrorCode::kIo, message);
  };
  if (s.options.port < 0 || s.options.port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "port must be between 0 and 65535");
  }
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(s.options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<uint16_t>(s.options.port));
  } else {
    // A host name ("localhost"): bind its first address.
    tcp::resolver resolver(s.ioc);
    auto results =
        resolver.resolve(s.options.host, std::to_string(s.options.port), ec);
    if (ec || results.empty()) return fail("cannot resolve", ec);
    endpoint = results.begin()->endpoint();
  }
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("cannot listen on", ec);
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  s.acceptor.bind(endpoint, ec);
  if (ec) return fail("cannot listen on", ec);
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on", ec);
  s.port = s.acceptor.local_endpoint().port();

  int workers = s.options.workers;
  if (workers <= 0) {
    workers =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  s.pool = std::make_unique<WorkerPool>(workers, s.options.max_queued);
  s.context = std::make_unique<SessionContext>(SessionContext{
      s.options, s.router, s.auth, s.metrics, *s.pool, s.ioc, false, {}});
  s.Accept();
  return Ok{};
}

int Server::port() const { return impl_->port; }

void Server::Run() {
  if (!impl_->context) return;  // Start failed or was not called
  // run() returns once nothing is left: after Stop() has closed the
  // acceptor and idle connections, and every request in flight (queued
  // work included, through its work guard) has been answered.
  while (true) {
    try {
      impl_->ioc.run();
      break;
    } catch (const std::exception& e) {
      // Nothing on the network thread should throw; if something does,
      // one connection is lost rather than the whole service.
      std::cerr << "bulwark serve: network thread: " << e.what() << '\n';
    }
  }
  impl_->pool->Shutdown();
}

void Server::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    if (impl->context) impl->DoStop();
  });
}

}  // namespace bulwark::service

// One client connection of the Server: reads requests with deadlines,
// authenticates and dispatches them, writes responses, keeps the
// connection alive between requests. Internal to server.cc; everything
// here runs on the network thread except route handlers of Cost::kWork.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "bulwark/service/auth.h"
#include "bulwark/service/metrics.h"
#include "bulwark/service/router.h"
#include "bulwark/service/server.h"
#include "bulwark/service/worker_pool.h"

namespace bulwark::service {

class Session;

// What sessions share with their server. Only the network thread touches
// `stopping` and `sessions`.
struct SessionContext {
  const ServerOptions& options;
  const Router& router;
  const Authenticator& auth;
  Metrics& metrics;
  WorkerPool& pool;
  boost::asio::io_context& ioc;
  bool stopping = false;
  std::unordered_set<Session*> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, SessionContext& context);
  ~Session();

  void Start();
  // The server is stopping: an idle connection closes now; one with a
  // request under way finishes it and closes after the response.
  void OnServerStop();

 private:
  using Clock = std::chrono::steady_clock;
  using Parser =
      boost::beast::http::request_parser<boost::beast::http::string_body>;
  enum class Phase {
    kIdle,
    kHeader,
    kBody,
    kHandling,
    kWriting,
    kLinger,
    kClosed
  };

  void NextRequest();
  void WaitIdle();
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Dispatch();
  void Write(Response response);
  void OnWrite(boost::beast::error_code ec, bool keep_alive);
  void FailRead(boost::beast::error_code ec);
  void Reject(Response response);
  void LingerClose();
  void Drain();
  void Close();

  void ArmTimer(std::chrono::milliseconds timeout);
  void CancelTimer();
  void OnTimer(uint64_t generation);

  SessionContext& ctx_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  uint64_t timer_generation_ = 0;
  bool timed_out_ = false;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::unique_ptr<boost::beast::http::response<boost::beast::http::string_body>>
      response_;
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;

  // The request under way.
  Request request_;
  const Route* route_ = nullptr;
  std::string method_label_;
  bool keep_alive_ = false;
  bool close_after_ = false;
  Clock::time_point started_;
};

}  // namespace bulwark::service

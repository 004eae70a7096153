#include "bulwark/service/session.h"
#include "bulwark/core/ascii.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <limits>

#include "bulwark/service/url.h"

namespace bulwark::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// After a response that closes the connection, unread request bytes may
// still be arriving (a 413 before the body). Closing at once would make
// the kernel answer them with a reset that can destroy the response before
// the client reads it, so the server reads and drops them for a moment.
constexpr std::chrono::milliseconds kLingerTime{2000};

const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool HasRole(const Request& request, Role role) {
  return std::find(request.roles.begin(), request.roles.end(), role) !=
         request.roles.end();
}

// A handler's exception becomes a generic 500: its text may hold details
// of the request, so it goes to the operator's log only.
Response RunHandler(const Route& route, const Request& request) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    std::cerr << "bulwark serve: " << route.method << ' ' << route.pattern
              << " failed: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "bulwark serve: " << route.method << ' ' << route.pattern
              << " failed with an unknown exception\n";
  }
  return ErrorResponse(500, "Internal server error", "internal_error");
}

}  // namespace

Session::Session(tcp::socket socket, SessionContext& context)
    : ctx_(context), socket_(std::move(socket)), timer_(ctx_.ioc) {}

Session::~Session() { ctx_.sessions.erase(this); }

void Session::Start() {
  ctx_.sessions.insert(this);
  ctx_.metrics.SetGauge("bulwark_http_open_connections",
                        "Client connections currently open.", {},
                        static_cast<double>(ctx_.sessions.size()));
  // A new client gets header_timeout from connecting to its first complete
  // header, with no idle allowance: opening connections and sending
  // nothing is the cheapest way to exhaust a server.
  ArmTimer(ctx_.options.header_timeout);
  WaitIdle();
}

void Session::OnServerStop() {
  if (phase_ == Phase::kIdle) Close();
}

void Session::NextRequest() {
  first_request_ = false;
  request_ = Request{};
  route_ = nullptr;
  close_after_ = false;
  if (buffer_.size() > 0) {
    // A pipelined request is already here: no idle time.
    ArmTimer(ctx_.options.header_timeout);
    ReadHeader();
    return;
  }
  ArmTimer(ctx_.options.idle_timeout);
  WaitIdle();
}

void Session::WaitIdle() {
  phase_ = Phase::kIdle;
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](beast::error_code ec) {
                       if (self->phase_ != Phase::kIdle) return;
                       if (ec) return self->Close();
                       // The header deadline starts with the first byte
                       // after an idle keep-alive wait.
                       if (!self->first_request_) {
                         self->ArmTimer(self->ctx_.options.header_timeout);
                       }
                       self->ReadHeader();
                     });
}

void Session::ReadHeader() {
  phase_ = Phase::kHeader;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(std::min<uint64_t>(
      ctx_.options.max_header_bytes, std::numeric_limits<uint32_t>::max())));
  parser_->body_limit(ctx_.options.max_body_bytes);
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        self->OnHeader(ec);
      });
}

void Session::FailRead(beast::error_code ec) {
  started_ = Clock::now();
  if (timed_out_) {
    return Reject(ErrorResponse(408, "The request was not received in time",
                                "request_timeout"));
  }
  if (ec == http::error::header_limit) {
    Response r = ErrorResponse(431, "Request headers are too large",
                               "headers_too_large");
    return Reject(std::move(r));
  }
  if (ec == http::error::body_limit) {
    std::string message = "The request body exceeds the limit of ";
    message += std::to_string(ctx_.options.max_body_bytes);
    message += " bytes";
    return Reject(ErrorResponse(413, message, "body_too_large"));
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return Close();  // the client went away before finishing a request
  }
  if (ec.category() ==
      http::make_error_code(http::error::bad_method).category()) {
    return Reject(ErrorResponse(400, "Malformed HTTP request", "bad_request"));
  }
  Close();  // a socket error: nobody to answer
}

void Session::OnHeader(beast::error_code ec) {
  if (phase_ != Phase::kHeader) return;
  if (ec) return FailRead(ec);
  started_ = Clock::now();
  const auto& header = parser_->get();
  request_.method = std::string(header.method_string());
  method_label_ =
      header.method() == http::verb::unknown ? "OTHER" : request_.method;
  keep_alive_ = header.keep_alive();
  for (const auto& field : header) {
    std::string name = AsciiLower(field.name_string());
    auto [it, inserted] = request_.headers.emplace(name, field.value());
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }

  // Routing and authentication need only the headers, so a request that
  // will be refused is refused before its body is read: an unauthenticated
  // client cannot make the server buffer max_body_bytes.
  std::optional<Target> target = ParseTarget(header.target());
  if (!target) {
    return Reject(
        ErrorResponse(400, "Malformed request target", "bad_request"));
  }
  request_.path = std::move(target->path);
  request_.query = std::move(target->query);
  auto found = ctx_.router.Find(request_.method, target->raw_path);
  if (auto* response = std::get_if<Response>(&found)) {
    return Reject(std::move(*response));
  }
  auto& match = std::get<Router::Found>(found);
  route_ = match.route;
  method_label_ = request_.method;
  request_.params = std::move(match.params);

  if (route_->access != Access::kPublic) {
    std::optional<Authenticator::Caller> caller =
        ctx_.auth.Check(request_.header("authorization"));
    if (!caller) {
      Response r = ErrorResponse(
          401, "Missing or unknown API key; send Authorization: Bearer KEY",
          "invalid_api_key");
      r.headers["WWW-Authenticate"] = "Bearer";
      return Reject(std::move(r));
    }
    request_.key_name = std::move(caller->key_name);
    request_.roles = std::move(caller->roles);
    const Role needed = route_->access == Access::kAdmin      ? Role::kAdmin
                        : route_->access == Access::kReviewer ? Role::kReviewer
                                                              : Role::kClient;
    if (!HasRole(request_, needed)) {
      return Reject(ErrorResponse(
          403,
          std::string("This API key lacks the ") + RoleName(needed) + " role",
          "insufficient_role"));
    }
  }

  // Handlers get the caller's name and roles; the key itself stays here,
  // so no route can log or echo it by accident.
  request_.headers.erase("authorization");

  if (parser_->is_done()) return Dispatch();
  auto expect = header.find(http::field::expect);
  if (expect != header.end() && AsciiLower(expect->value()) == "100-continue") {
    // Clients such as curl wait for this before sending a large body.
    phase_ = Phase::kBody;
    ArmTimer(ctx_.options.body_timeout);
    asio::async_write(
        socket_, asio::buffer(kContinue),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (self->phase_ != Phase::kBody) return;
          if (ec) return self->Close();
          self->ReadBody();
        });
    return;
  }
  ArmTimer(ctx_.options.body_timeout);
  ReadBody();
}

void Session::ReadBody() {
  phase_ = Phase::kBody;
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->OnBody(ec);
                   });
}

void Session::OnBody(beast::error_code ec) {
  if (phase_ != Phase::kBody) return;
  if (ec) return FailRead(ec);
  Dispatch();
}

void Session::Dispatch() {
  CancelTimer();
  phase_ = Phase::kHandling;
  request_.body = std::move(parser_->get().body());
  if (route_->cost == Cost::kCheap) return Write(RunHandler(*route_, request_));

  // The handler runs on a worker; its response comes back to the network
  // thread through the io_context. The work guard keeps Run() from
  // returning while the job is queued or running.
  asio::io_context& ioc = ctx_.ioc;
  auto job = [self = shared_from_this(), route = route_,
              request = std::move(request_),
              work = asio::make_work_guard(ioc)]() mutable {
    Response response = RunHandler(*route, request);
    // Moving `self` into the completion leaves the last reference with
    // the network thread, which owns the session's state.
    asio::io_context& io = self->ctx_.ioc;
    asio::post(
        io, [self = std::move(self), response = std::move(response)]() mutable {
          self->Write(std::move(response));
        });
  };
  if (!ctx_.pool.TryPost(std::move(job))) {
    Response busy =
        ErrorResponse(503, "The server is busy; retry later", "server_busy");
    busy.headers["Retry-After"] = "1";
    Write(std::move(busy));
  }
}

void Session::Reject(Response response) {
  // The body (if any) was not read, so the connection cannot carry another
  // request.
  close_after_ = parser_ && !parser_->is_done();
  if (timed_out_ || response.status == 400 || response.status == 408 ||
      response.status == 413 || response.status == 431) {
    close_after_ = true;
  }
  Write(std::move(response));
}

void Session::Write(Response response) {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kWriting;
  // Beast throws on a status it cannot send and on a body with 204/304;
  // a route's mistake must not take the network thread down.
  if (response.status < 200 || response.status > 599) {
    std::cerr << "bulwark serve: a route answered with status "
              << response.status << '\n';
    response = ErrorResponse(500, "Internal server error", "internal_error");
  }
  if (response.status == 204 || response.status == 304) response.body.clear();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - started_).count();
  std::string label;
  if (route_ != nullptr) {
    label = route_->pattern;
  } else if (response.status == 404 || response.status == 405) {
    label = "unmatched";
  } else {
    label = "invalid";  // refused before routing: malformed, too large
  }
  ctx_.metrics.ObserveRequest(label,
                              method_label_.empty() ? "OTHER" : method_label_,
                              response.status, seconds);

  const bool keep_alive = keep_alive_ && !close_after_ && !ctx_.stopping;
  response_ = std::make_unique<http::response<http::string_body>>();
  auto& res = *response_;
  res.version(11);
  res.result(static_cast<unsigned>(response.status));
  res.set(http::field::server, "bulwark");
  if (!response.content_type.empty()) {
    res.set(http::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = std::move(response.body);
  res.prepare_payload();

  // A client that does not read its response is as bad as one that does
  // not send its request.
  ArmTimer(ctx_.options.body_timeout);
  http::async_write(
      socket_, res,
      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
        self->OnWrite(ec, keep_alive);
      });
}

void Session::OnWrite(beast::error_code ec, bool keep_alive) {
  if (phase_ != Phase::kWriting) return;
  response_.reset();
  if (ec) return Close();
  if (!keep_alive || ctx_.stopping) return LingerClose();
  NextRequest();
}

void Session::LingerClose() {
  phase_ = Phase::kLinger;
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  ArmTimer(kLingerTime);
  Drain();
}

void Session::Drain() {
  auto space = buffer_.prepare(16 << 10);
  socket_.async_read_some(
      space, [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (self->phase_ != Phase::kLinger) return;
        self->buffer_.consume(self->buffer_.size());
        (void)n;
        if (ec) return self->Close();  // EOF: the client has closed too
        self->Drain();
      });
}

void Session::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  CancelTimer();
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  ctx_.sessions.erase(this);
  ctx_.metrics.SetGauge("bulwark_http_open_connections",
                        "Client connections currently open.", {},
                        static_cast<double>(ctx_.sessions.size()));
}

void Session::ArmTimer(std::chrono::milliseconds timeout) {
  const uint64_t generation = ++timer_generation_;
  timed_out_ = false;
  timer_.expires_after(timeout);
  timer_.async_wait(
      [self = shared_from_this(), generation](beast::error_code ec) {
        if (ec) return;  // cancelled or re-armed
        self->OnTimer(generation);
      });
}

void Session::CancelTimer() {
  ++timer_generation_;
  timer_.cancel();
}

void Session::OnTimer(uint64_t generation) {
  // A timer that fired just as it was re-armed is stale.
  if (generation != timer_generation_) return;
  timed_out_ = true;
  switch (phase_) {
    case Phase::kHeader:
    case Phase::kBody: {
      // Cancelling the read completes it with an error; FailRead sees
      // timed_out_ and answers 408 before closing.
      beast::error_code ignored;
      socket_.cancel(ignored);
      break;
    }
    case Phase::kHandling:
    case Phase::kClosed:
      break;
    default:
      Close();
  }
}

}  // namespace bulwark::service

// The remote moderation endpoint as a target. Synchronous Beast over a
// private io_context per connection; the stream's expiry bounds each step,
// since synchronous Asio calls have no timeouts of their own.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "bulwark/core/text_escape.h"
#include "bulwark/redteam/endpoint_url.h"
#include "bulwark/redteam/moderation_answer.h"
#include "bulwark/redteam/target.h"
#include "bulwark/service/tls_connect.h"

namespace bulwark::redteam {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;

// A moderation answer is a few kilobytes; anything far larger is not one.
constexpr uint64_t kMaxAnswerBytes = 1 << 20;
constexpr uint32_t kMaxHeaderBytes = 16 << 10;

// One kept-alive connection. Not thread-safe: the target hands each to one
// thread at a time.
class Connection {
 public:
  Connection(const EndpointUrl& url, ssl::context& tls)
      : url_(url), tls_context_(tls) {}

  // The answer's body, for status 200. A failure on a connection that
  // served an earlier request is retried once on a fresh one: servers close
  // idle keep-alive connections whenever they like.
  Result<std::string> Post(const std::string& body,
                           const std::string& bearer_key,
                           std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    const bool reused = open_;
    Result<std::string> answer = Attempt(body, bearer_key, deadline, timeout);
    if (!answer.ok() && reused && transport_failed_ && !timed_out_ &&
        Clock::now() < deadline) {
      answer = Attempt(body, bearer_key, deadline, timeout);
    }
    return answer;
  }

 private:
  Error Fail(const std::string& what, const beast::error_code& ec,
             std::chrono::milliseconds timeout) {
    Close();
    transport_failed_ = true;
    std::string msg = "moderation endpoint " + HostHeader(url_) + ": ";
    if (ec == beast::error::timeout) {
      timed_out_ = true;
      msg += "no complete answer within " + std::to_string(timeout.count()) +
             " ms";
    } else {
      msg += what;
      if (ec) msg += ": " + ec.message();
    }
    return MakeError(ErrorCode::kIo, msg);
  }

  void Close() {
    if (plain_) {
      beast::error_code ec;
      plain_->socket().close(ec);
    }
    if (tls_) {
      beast::error_code ec;
      beast::get_lowest_layer(*tls_).socket().close(ec);
    }
    plain_.reset();
    tls_.reset();
    buffer_.clear();
    open_ = false;
  }

  beast::tcp_stream& Lowest() {
    return plain_ ? *plain_ : beast::get_lowest_layer(*tls_);
  }

  Status Connect(Clock::time_point deadline,
                 std::chrono::milliseconds timeout) {
    if (url_.https) {
      tls_.emplace(ioc_, tls_context_);
    } else {
      plain_.emplace(ioc_);
    }
    if (auto failed =
            service::ConnectClient(ioc_, url_.host, url_.port, deadline,
                                   Lowest(), tls_ ? &*tls_ : nullptr)) {
      return Fail(failed->what, failed->ec, timeout);
    }
    open_ = true;
    return Ok{};
  }

  Result<std::string> Attempt(const std::string& body,
                              const std::string& bearer_key,
                              Clock::time_point deadline,
                              std::chrono::milliseconds timeout) {
    timed_out_ = false;
    transport_failed_ = false;
    if (!open_) {
      Status connected = Connect(deadline, timeout);
      if (!connected.ok()) return connected.error();
    }
    return tls_ ? Exchange(*tls_, body, bearer_key, deadline, timeout)
                : Exchange(*plain_, body, bearer_key, deadline, timeout);
  }

  template <typename Stream>
  Result<std::string> Exchange(Stream& stream, const std::string& body,
                               const std::string& bearer_key,
                               Clock::time_point deadline,
                               std::chrono::milliseconds timeout) {
    http::request<http::string_body> req{http::verb::post, url_.target, 11};
    req.set(http::field::host, HostHeader(url_));
    req.set(http::field::user_agent, "bulwark-redteam");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    if (!bearer_key.empty()) {
      req.set(http::field::authorization, "Bearer " + bearer_key);
    }
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    beast::tcp_stream& tcp = Lowest();
    tcp.expires_at(deadline);
    beast::error_code ec = service::RunOne(ioc_, [&](auto handler) {
      http::async_write(stream, req, std::move(handler));
    });
    if (ec) return Fail("cannot send the request", ec, timeout);

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    parser.header_limit(kMaxHeaderBytes);
    tcp.expires_at(deadline);
    ec = service::RunOne(ioc_, [&](auto handler) {
      http::async_read(stream, buffer_, parser, std::move(handler));
    });
    if (ec == http::error::body_limit) {
      return Fail("the answer is larger than " +
                      std::to_string(kMaxAnswerBytes) + " bytes",
                  {}, timeout);
    }
    if (ec) return Fail("cannot read the answer", ec, timeout);
    http::response<http::string_body> res = parser.release();
    if (!res.keep_alive()) Close();
    if (res.result_int() != 200) {
      std::string what = "answered " + std::to_string(res.result_int());
      if (!res.reason().empty()) what += " " + std::string(res.reason());
      // The first of the body usually says why (a bad key, a rate limit).
      std::string snippet = res.body().substr(0, 200);
      for (char& c : snippet) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      if (!snippet.empty()) what += ": " + snippet;
      return MakeError(ErrorCode::kIo,
                       "moderation endpoint " + HostHeader(url_) + " " + what);
    }
    return std::move(res.body());
  }

  const EndpointUrl& url_;
  ssl::context& tls_context_;
  net::io_context ioc_{1};
  std::optional<beast::tcp_stream> plain_;
  std::optional<ssl::stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  bool open_ = false;
  // What the last attempt's failure was: only a broken connection, not a
  // timeout or an error answer, is worth one more try.
  bool timed_out_ = false;
  bool transport_failed_ = false;
};

class HttpModerationTarget : public Target {
 public:
  HttpModerationTarget(std::string url_text, EndpointUrl url,
                       std::string bearer_key,
                       std::chrono::milliseconds timeout)
      : url_text_(std::move(url_text)),
        url_(std::move(url)),
        bearer_key_(std::move(bearer_key)),
        timeout_(timeout),
        tls_(service::MakeTlsClientContext()) {}

  std::string name() const override { return url_text_; }
  bool concurrent() const override { return true; }

  Result<Outcome> Check(std::string_view text) override {
    std::unique_ptr<Connection> conn = Take();
    const std::string body = "{\"input\":" + JsonQuote(text) + "}";
    Result<std::string> answer = conn->Post(body, bearer_key_, timeout_);
    Give(std::move(conn));
    if (!answer.ok()) return answer.error();
    return ParseModerationAnswer(*answer);
  }

 private:
  std::unique_ptr<Connection> Take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Connection> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return std::make_unique<Connection>(url_, tls_);
  }

  void Give(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
  }

  const std::string url_text_;
  const EndpointUrl url_;
  const std::string bearer_key_;
  const std::chrono::milliseconds timeout_;
  // Shared by every connection; an SSL_CTX is safe to share once set up.
  ssl::context tls_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace

Result<std::unique_ptr<Target>> MakeHttpModerationTarget(
    const std::string& url, std::string bearer_key,
    std::chrono::milliseconds timeout) {
  auto parsed = ParseEndpointUrl(url);
  if (!parsed.ok()) return parsed.error();
  std::unique_ptr<Target> target = std::make_unique<HttpModerationTarget>(
      url, std::move(*parsed), std::move(bearer_key), timeout);
  return target;
}

}  // namespace bulwark::redteam

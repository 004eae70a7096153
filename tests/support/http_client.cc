#include "support/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bulwark::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string HttpResult::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpConnection::Impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;
  std::string connect_error;
  bool connected = false;

  // Runs the async operation started by `start` to completion; the
  // stream's own expiry turns a hung server into beast::error::timeout.
  template <typename Start>
  beast::error_code Run(std::chrono::milliseconds limit, Start start) {
    beast::error_code result;
    stream.expires_after(limit);
    start([&result](beast::error_code ec, size_t) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }
};

HttpConnection::HttpConnection(int port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                                   static_cast<uint16_t>(port));
  beast::error_code result;
  impl_->stream.expires_after(timeout);
  impl_->stream.async_connect(endpoint,
                              [&result](beast::error_code ec) { result = ec; });
  impl_->ioc.run();
  impl_->connected = !result;
  if (result) impl_->connect_error = result.message();
}

HttpConnection::~HttpConnection() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both,
                                  ignored);
  impl_->stream.socket().close(ignored);
}

bool HttpConnection::connected() const { return impl_->connected; }
const std::string& HttpConnection::connect_error() const {
  return impl_->connect_error;
}

HttpResult HttpConnection::Send(const std::string& method,
                                const std::string& target,
                                const std::string& body,
                                const Headers& headers) {
  HttpResult out;
  if (!impl_->connected) {
    out.error = "not connected: " + impl_->connect_error;
    return out;
  }
  http::request<http::string_body> req;
  req.version(11);
  req.method_string(method);
  req.target(target);
  req.set(http::field::host, "127.0.0.1");
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.prepare_payload();
  }
  for (const auto& [name, value] : headers) req.set(name, value);
  beast::error_code ec = impl_->Run(impl_->timeout, [&](auto handler) {
    http::async_write(impl_->stream, req, handler);
  });
  if (ec) {
    // The server may have answered and closed before reading everything
    // (413): its response is still worth reading.
    HttpResult early = ReadResponse();
    if (early.status != 0) return early;
    out.error = "write: " + ec.message();
    return out;
  }
  return ReadResponse();
}

HttpResult HttpConnection::ReadResponse() {
  HttpResult out;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ull << 30);
  beast::error_code ec = impl_->Run(impl_->timeout, [&](auto handler) {
    http::async_read(impl_->stream, impl_->buffer, parser, handler);
  });
  if (ec) {
    out.error = "read: " + ec.message();
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out.headers[name] = std::string(field.value());
  }
  out.body = res.body();
  return out;
}

bool HttpConnection::SendRaw(std::string_view bytes) {
  if (!impl_->connected) return false;
  beast::error_code ec = impl_->Run(impl_->timeout, [&](auto handler) {
    asio::async_write(impl_->stream, asio::buffer(bytes.data(), bytes.size()),
                      handler);
  });
  return !ec;
}

HttpConnection::RawRead HttpConnection::ReadUntilClose(
    std::chrono::milliseconds timeout) {
  RawRead out;
  // Whatever a previous ReadResponse buffered comes first.
  out.data = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char chunk[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return out;
    size_t got = 0;
    beast::error_code result;
    impl_->stream.expires_after(left);
    impl_->stream.async_read_some(asio::buffer(chunk),
                                  [&](beast::error_code ec, size_t n) {
                                    result = ec;
                                    got = n;
                                  });
    impl_->ioc.restart();
    impl_->ioc.run();
    out.data.append(chunk, got);
    if (result == beast::error::timeout) return out;
    if (result) {
      out.closed = true;  // EOF or reset
      return out;
    }
  }
}

HttpResult HttpRequest(int port, const std::string& method,
                       const std::string& target, const std::string& body,
                       const Headers& headers) {
  HttpConnection connection(port);
  Headers with_close = headers;
  with_close.emplace("Connection", "close");
  return connection.Send(method, target, body, with_close);
}

}  // namespace bulwark::testing

// A small blocking HTTP/1.1 client for tests of the service: real sockets
// to 127.0.0.1, every operation bounded by a timeout so a broken server
// fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace bulwark::testing {

struct HttpResult {
  int status = 0;                              // 0: no response (see error)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // why there is no response; empty when there is one

  // The header's value, "" when absent.
  std::string header(const std::string& lower_name) const;
};

using Headers = std::map<std::string, std::string>;

// One request on a new connection, closed afterwards. A non-empty body is
// sent with Content-Length; `headers` may override anything but that.
HttpResult HttpRequest(int port, const std::string& method,
                       const std::string& target, const std::string& body = "",
                       const Headers& headers = {});

// A connection kept open across requests (keep-alive), which can also
// send raw bytes for malformed or slow requests.
class HttpConnection {
 public:
  explicit HttpConnection(
      int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const;
  const std::string& connect_error() const;

  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", const Headers& headers = {});
  // Reads one response (after SendRaw).
  HttpResult ReadResponse();

  // Writes bytes as they are; false when the write failed.
  bool SendRaw(std::string_view bytes);

  struct RawRead {
    std::string data;     // everything received
    bool closed = false;  // the server closed (EOF or reset) in time
  };
  // Reads until the server closes the connection or `timeout` passes.
  RawRead ReadUntilClose(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::testing

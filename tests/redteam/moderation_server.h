// A tiny OpenAI-shaped moderation endpoint on 127.0.0.1 for the red-team
// tests: raw sockets, a thread per connection, keep-alive.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <mutex>
#include <string>

#include "support/loopback_server.h"

namespace bulwark::redteam::test_support {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using bulwark::testing::LoopbackServer;

inline std::string Answer(bool minors, const std::string& extra = "") {
  return std::string("{\"id\":\"modr-1\",\"results\":[{\"flagged\":") +
         (minors ? "true" : "false") +
         ",\"categories\":{\"sexual\":false,\"sexual/minors\":" +
         (minors ? "true" : "false") + "}" + extra + "}]}";
}

// Answers POSTs by path: /v1/moderations flags any input holding "hello";
// /drop answers, then closes the connection without saying so (a server
// timing out an idle keep-alive connection); /auth wants "Bearer k1";
// /huge, /bad and /hang misbehave.
class ModerationServer {
 public:
  ModerationServer() : server_([this](tcp::socket& s) { ServeRequests(s); }) {}

  std::string Url(const std::string& path) const { return server_.Url(path); }
  int connections() const { return server_.connections(); }
  int requests() const { return requests_.load(); }
  std::string last_body() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_body_;
  }

 private:
  static void Send(tcp::socket& s, const std::string& text) {
    LoopbackServer::Send(s, text);
  }

  static std::string Ok(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  void ServeRequests(tcp::socket& s) {
    std::string data;
    boost::system::error_code ec;
    for (;;) {
      size_t head_end;
      while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
        char buf[4096];
        const size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) return;
        data.append(buf, n);
      }
      const std::string head = data.substr(0, head_end);
      size_t length = 0;
      if (auto at = head.find("Content-Length: "); at != std::string::npos) {
        length = std::stoul(head.substr(at + 16));
      }
      while (data.size() < head_end + 4 + length) {
        char buf[4096];
        const size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) return;
        data.append(buf, n);
      }
      const std::string body = data.substr(head_end + 4, length);
      data.erase(0, head_end + 4 + length);
      ++requests_;
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_body_ = body;
      }
      const size_t sp1 = head.find(' ');
      const std::string path =
          head.substr(sp1 + 1, head.find(' ', sp1 + 1) - sp1 - 1);
      const bool hello = body.find("hello") != std::string::npos;
      if (path == "/v1/moderations") {
        Send(s, Ok(Answer(hello)));
      } else if (path == "/drop") {
        Send(s, Ok(Answer(hello)));
        return;  // closes the socket
      } else if (path == "/auth") {
        if (head.find("\r\nAuthorization: Bearer k1") == std::string::npos) {
          Send(s,
               "HTTP/1.1 401 Unauthorized\r\nContent-Length: 25\r\n\r\n"
               "{\"error\":\"bad api key\"}\n\n");
        } else {
          Send(s, Ok(Answer(hello)));
        }
      } else if (path == "/huge") {
        Send(s, "HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n");
        Send(s, std::string(100000, ' '));
      } else if (path == "/bad") {
        Send(s, Ok("<html>not json</html>"));
      } else if (path == "/hang") {
        server_.WaitUntilStopped();
        return;
      }
    }
  }

  std::mutex mu_;
  std::atomic<int> requests_{0};
  std::string last_body_;
  // Last: its threads end before the members above go.
  LoopbackServer server_;
};

}  // namespace bulwark::redteam::test_support

// A tiny OpenAI-shaped moderation endpoint on 127.0.0.1 for the red-team
// tests: raw sockets, a thread per connection, keep-alive.
#pragma once

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bulwark::redteam::test_support {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

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
  ModerationServer() : acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~ModerationServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    boost::system::error_code ec;
    tcp::socket wake(ioc_);
    wake.connect(acceptor_.local_endpoint(), ec);
    accept_thread_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (tcp::socket* s : open_) s->shutdown(tcp::socket::shutdown_both, ec);
    }
    for (std::thread& t : connections_) t.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int connections() const { return accepted_.load(); }
  int requests() const { return requests_.load(); }
  std::string last_body() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_body_;
  }

 private:
  void AcceptLoop() {
    for (;;) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || ec) return;
      ++accepted_;
      connections_.emplace_back(
          [this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
    }
  }

  static void Send(tcp::socket& s, const std::string& text) {
    boost::system::error_code ec;
    asio::write(s, asio::buffer(text), ec);
  }

  static std::string Ok(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  void Serve(tcp::socket s) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_.push_back(&s);
    }
    ServeRequests(s);
    std::lock_guard<std::mutex> lock(mu_);
    open_.erase(std::find(open_.begin(), open_.end(), &s));
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
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_; });
        return;
      }
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread accept_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<std::thread> connections_;
  std::vector<tcp::socket*> open_;
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};
  std::string last_body_;
};

}  // namespace bulwark::redteam::test_support

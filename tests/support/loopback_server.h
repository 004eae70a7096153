// A tiny TCP server on 127.0.0.1 for tests that need a real peer: raw
// sockets, a blocking accept loop and a thread per connection, so each
// test's handler writes exactly the bytes it needs. Stopping it (Stop() or
// the destructor) wakes the accept loop, shuts down the connections still
// open and releases any handler waiting in WaitUntilStopped().
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bulwark::testing {

class LoopbackServer {
 public:
  using tcp = boost::asio::ip::tcp;
  // Runs on the connection's own thread; the socket closes when it returns.
  using Handler = std::function<void(tcp::socket&)>;

  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Ends the server and joins every thread; idempotent. A class whose
  // handler uses its own members declares its LoopbackServer last (or calls
  // Stop() first in its destructor) so the threads end before those do.
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>".
  std::string Url(const std::string& path) const;
  // Connections accepted so far.
  int connections() const { return accepted_.load(); }

  // Blocks until the server stops: a handler that never answers.
  void WaitUntilStopped();

  // Writes all of `text`, ignoring errors (the peer may have gone).
  static void Send(tcp::socket& s, const std::string& text);

 private:
  void AcceptLoop();
  void Serve(tcp::socket s);

  const Handler handler_;
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread accept_thread_;
  std::vector<std::thread> connections_;
  std::vector<tcp::socket*> open_;
};

}  // namespace bulwark::testing

#include "support/loopback_server.h"

#include <algorithm>
#include <utility>

namespace bulwark::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

LoopbackServer::LoopbackServer(Handler handler)
    : handler_(std::move(handler)), acceptor_(ioc_) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

LoopbackServer::~LoopbackServer() { Stop(); }

void LoopbackServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  // Wakes the blocking accept; the loop sees stopping_ and ends.
  boost::system::error_code ec;
  tcp::socket wake(ioc_);
  wake.connect(acceptor_.local_endpoint(), ec);
  accept_thread_.join();
  {
    // Ends the reads of connections kept alive by their clients.
    std::lock_guard<std::mutex> lock(mu_);
    for (tcp::socket* s : open_) s->shutdown(tcp::socket::shutdown_both, ec);
  }
  for (std::thread& t : connections_) t.join();
}

std::string LoopbackServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void LoopbackServer::WaitUntilStopped() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stopping_; });
}

void LoopbackServer::Send(tcp::socket& s, const std::string& text) {
  boost::system::error_code ec;
  asio::write(s, asio::buffer(text), ec);
}

void LoopbackServer::AcceptLoop() {
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

void LoopbackServer::Serve(tcp::socket s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_.push_back(&s);
  }
  handler_(s);
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(std::find(open_.begin(), open_.end(), &s));
}

}  // namespace bulwark::testing

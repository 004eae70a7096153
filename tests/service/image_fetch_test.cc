// FetchImage against a tiny plain-HTTP server on 127.0.0.1 (a thread per
// connection, raw sockets so each answer is exactly what the test needs).
// Certificate verification against a real CA cannot be tested offline;
// the https test only shows a failed handshake is an error, not a hang.
#include "bulwark/service/image_fetcher.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "bulwark/policy/policy.h"
#include "bulwark/service/context.h"
#include "bulwark/service/metrics.h"
#include "support/image_encoders.h"
#include "support/loopback_server.h"

namespace bulwark::service {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class TestHttpServer {
 public:
  explicit TestHttpServer(std::vector<uint8_t> jpeg)
      : jpeg_(std::move(jpeg)), server_([this](tcp::socket& s) { Serve(s); }) {}

  int port() const { return server_.port(); }
  std::string Url(const std::string& path) const { return server_.Url(path); }
  int connections() const { return server_.connections(); }

 private:
  static void Send(tcp::socket& s, const std::string& text) {
    testing::LoopbackServer::Send(s, text);
  }

  void Serve(tcp::socket& s) {
    std::string head;
    boost::system::error_code ec;
    while (head.find("\r\n\r\n") == std::string::npos) {
      char buf[1024];
      const size_t n = s.read_some(asio::buffer(buf), ec);
      if (ec) return;
      head.append(buf, n);
      // Not HTTP (a TLS ClientHello starts with 0x16): answer as a plain
      // HTTP server would, with a 400, and close.
      if (!head.empty() && (head[0] < 'A' || head[0] > 'Z')) {
        Send(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        return;
      }
    }
    const size_t sp1 = head.find(' ');
    const size_t sp2 = head.find(' ', sp1 + 1);
    const std::string path = head.substr(sp1 + 1, sp2 - sp1 - 1);
    if (path == "/image.jpg") {
      Send(s,
           "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " +
               std::to_string(jpeg_.size()) + "\r\n\r\n");
      asio::write(s, asio::buffer(jpeg_), ec);
    } else if (path == "/redirect") {
      Send(s, "HTTP/1.1 302 Found\r\nLocation: " + Url("/image.jpg") +
                  "\r\nContent-Length: 0\r\n\r\n");
    } else if (path == "/missing") {
      Send(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    } else if (path == "/huge") {
      Send(s, "HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n");
      Send(s, std::string(4096, 'x'));
    } else if (path == "/chunked") {
      Send(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      const std::string chunk(4096, 'x');
      for (int i = 0; i < 64; ++i) {
        Send(s, "1000\r\n" + chunk + "\r\n");
      }
      Send(s, "0\r\n\r\n");
    } else if (path == "/hang") {
      server_.WaitUntilStopped();
    } else {
      Send(s,
           "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    }
  }

  const std::vector<uint8_t> jpeg_;
  // Last: its threads end before jpeg_ goes.
  testing::LoopbackServer server_;
};

std::vector<uint8_t> BenignJpeg() {
  return testing::EncodeJpeg(
      testing::Gradient(64, 48, media::PixelFormat::kRgb8));
}

FetchOptions Allow127(uint64_t max_bytes = 1 << 20) {
  FetchOptions o;
  o.allow_hosts = {"127.0.0.1"};
  o.max_bytes = max_bytes;
  o.timeout = std::chrono::milliseconds(2000);
  return o;
}

TEST(ServiceImageFetch, FetchesTheExactBytesFromAnAllowedHost) {
  const std::vector<uint8_t> jpeg = BenignJpeg();
  TestHttpServer server(jpeg);
  auto got = FetchImage(server.Url("/image.jpg"), Allow127());
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(*got, jpeg);
  // A body of exactly max_bytes fits.
  auto exact = FetchImage(server.Url("/image.jpg"), Allow127(jpeg.size()));
  ASSERT_TRUE(exact.ok()) << exact.error().ToString();
  EXPECT_EQ(server.connections(), 2);
}

TEST(ServiceImageFetch, HostNotAllowedIsRefusedWithoutConnecting) {
  TestHttpServer server(BenignJpeg());
  FetchOptions o = Allow127();
  for (const auto& allow : std::vector<std::vector<std::string>>{
           {}, {"localhost"}, {"127.0.0.10"}, {"27.0.0.1"}, {"*.0.0.1"}}) {
    o.allow_hosts = allow;
    auto got = FetchImage(server.Url("/image.jpg"), o);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(got.error().message.find("not in [images] allow_url_hosts"),
              std::string::npos)
        << got.error().message;
  }
  EXPECT_EQ(server.connections(), 0);
}

TEST(ServiceImageFetch, HostMatchingIsExactAndCaseInsensitive) {
  const std::vector<std::string> allow = {"CDN.Example.com", "[::1]"};
  EXPECT_TRUE(HostAllowed("cdn.example.com", allow));
  EXPECT_TRUE(HostAllowed("::1", allow));
  EXPECT_FALSE(HostAllowed("a.cdn.example.com", allow));
  EXPECT_FALSE(HostAllowed("evilcdn.example.com", allow));
  EXPECT_FALSE(HostAllowed("cdn.example.com.", allow));
  EXPECT_FALSE(HostAllowed("cdn.example.com.evil.net", allow));
  EXPECT_FALSE(HostAllowed("", {""}));
  auto u = ParseImageUrl("HTTPS://CDN.Example.COM/a/b.jpg?x=1#frag");
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_TRUE(u->https);
  EXPECT_EQ(u->host, "cdn.example.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/a/b.jpg?x=1");
  auto v6 = ParseImageUrl("http://[::1]:8081?q");
  ASSERT_TRUE(v6.ok()) << v6.error().ToString();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8081);
  EXPECT_EQ(v6->target, "/?q");
}

TEST(ServiceImageFetch, BadUrlsAreRefused) {
  TestHttpServer server(BenignJpeg());
  FetchOptions o = Allow127();
  o.allow_hosts.push_back("a");
  for (const std::string url :
       {"ftp://127.0.0.1/image.jpg", "file:///etc/passwd", "http:///x",
        "http://", "http://:80/x", "127.0.0.1/image.jpg",
        "http://a@127.0.0.1/image.jpg", "http://a:b@127.0.0.1/",
        "http://127.0.0.1@a/", "http://127.0.0.1:0/", "http://127.0.0.1:99999/",
        "http://127.0.0.1:/", "http://127.0.0.1:8x/", "http://127.0.0.1\\@a/",
        "http://127.0.0.1/a b", "http://127.0.0.1/\r\nX: y",
        "http://127%2e0.0.1/", "http://[127.0.0.1]/", "http://[::1/"}) {
    auto got = FetchImage(url, o);
    ASSERT_FALSE(got.ok()) << url;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << url;
  }
  EXPECT_EQ(server.connections(), 0);
}

TEST(ServiceImageFetch, RedirectsAreNotFollowed) {
  TestHttpServer server(BenignJpeg());
  auto got = FetchImage(server.Url("/redirect"), Allow127());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(got.error().message.find("302"), std::string::npos)
      << got.error().message;
  EXPECT_NE(got.error().message.find("redirects are not followed"),
            std::string::npos);
  EXPECT_EQ(server.connections(), 1);  // the target was never requested
}

TEST(ServiceImageFetch, StatusOtherThan200IsRefused) {
  TestHttpServer server(BenignJpeg());
  auto got = FetchImage(server.Url("/missing"), Allow127());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
  EXPECT_NE(got.error().message.find("404"), std::string::npos)
      << got.error().message;
  EXPECT_NE(got.error().message.find("127.0.0.1"), std::string::npos);
}

TEST(ServiceImageFetch, SizeLimits) {
  const std::vector<uint8_t> jpeg = BenignJpeg();
  TestHttpServer server(jpeg);
  auto huge = FetchImage(server.Url("/huge"), Allow127());
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::kLimitExceeded)
      << huge.error().ToString();
  // 256 KiB chunked against a 100 KB limit.
  auto chunked = FetchImage(server.Url("/chunked"), Allow127(100'000));
  ASSERT_FALSE(chunked.ok());
  EXPECT_EQ(chunked.error().code, ErrorCode::kLimitExceeded)
      << chunked.error().ToString();
  // ... and under a large enough limit it is read whole.
  auto whole = FetchImage(server.Url("/chunked"), Allow127(1 << 20));
  ASSERT_TRUE(whole.ok()) << whole.error().ToString();
  EXPECT_EQ(whole->size(), 64u * 4096u);
  // A Content-Length one byte over the limit.
  auto over = FetchImage(server.Url("/image.jpg"), Allow127(jpeg.size() - 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
}

TEST(ServiceImageFetch, ASilentServerTimesOut) {
  TestHttpServer server(BenignJpeg());
  FetchOptions o = Allow127();
  o.timeout = std::chrono::milliseconds(300);
  const auto start = Clock::now();
  auto got = FetchImage(server.Url("/hang"), o);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
  EXPECT_NE(got.error().message.find("within 300 ms"), std::string::npos)
      << got.error().message;
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST(ServiceImageFetch, HttpsToAPlainHttpServerFailsTheHandshake) {
  TestHttpServer server(BenignJpeg());
  FetchOptions o = Allow127();
  o.timeout = std::chrono::milliseconds(5000);
  const auto start = Clock::now();
  auto got = FetchImage(
      "https://127.0.0.1:" + std::to_string(server.port()) + "/image.jpg", o);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
  EXPECT_NE(got.error().message.find("TLS handshake failed"), std::string::npos)
      << got.error().message;
  EXPECT_LT(took, std::chrono::milliseconds(2000));  // an error, not a hang
}

TEST(ServiceImageFetch, ConnectionRefusedIsAnIoError) {
  int port = 0;
  {
    TestHttpServer server(BenignJpeg());
    port = server.port();
  }  // closed: nothing listens there now
  auto got =
      FetchImage("http://127.0.0.1:" + std::to_string(port) + "/x", Allow127());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
}

// /v1/moderations with no detectors: enough to see whether the image was
// fetched (category_applied_input_types names it) and the error statuses.
class ModerationRoute {
 public:
  explicit ModerationRoute(std::vector<std::string> allow,
                           uint64_t max_bytes = 1 << 20) {
    config_.image_url_allow_hosts = std::move(allow);
    config_.image_limits.max_bytes = max_bytes;
    ctx_.policy = &policy_;
    ctx_.config = &config_;
    ctx_.metrics = &metrics_;
    ctx_.ready = true;
    AddModerationRoutes(router_, ctx_);
  }

  Response Post(const std::string& url) {
    boost::json::object part;
    part["type"] = "image_url";
    part["image_url"] = boost::json::object{{"url", url}};
    boost::json::object body;
    body["input"] = boost::json::array{part};
    Request req;
    req.method = "POST";
    req.path = "/v1/moderations";
    req.body = boost::json::serialize(body);
    auto found = router_.Find(req.method, req.path);
    const auto* f = std::get_if<Router::Found>(&found);
    if (f == nullptr) return std::get<Response>(found);
    return f->route->handler(req);
  }

 private:
  ServiceConfig config_;
  policy::Policy policy_ = policy::Policy::Default();
  Metrics metrics_;
  ServiceContext ctx_;
  Router router_;
};

TEST(ServiceImageFetch, ModerationsFetchesOnlyFromAllowedHosts) {
  const std::vector<uint8_t> jpeg = BenignJpeg();
  TestHttpServer server(jpeg);
  {
    ModerationRoute route({});
    const Response r = route.Post("http://169.254.169.254/latest");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("input[0].image_url.url: host '169.254.169.254' is "
                          "not in [images] allow_url_hosts"),
              std::string::npos)
        << r.body;
  }
  ModerationRoute route({"127.0.0.1"});
  const Response ok = route.Post(server.Url("/image.jpg"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto types = boost::json::parse(ok.body)
                         .at("results")
                         .at(0)
                         .at("category_applied_input_types")
                         .at("sexual/minors");
  EXPECT_EQ(types, boost::json::value(boost::json::array{"image"}));

  const Response missing = route.Post(server.Url("/missing"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("host '127.0.0.1'"), std::string::npos)
      << missing.body;
  EXPECT_NE(missing.body.find("404"), std::string::npos) << missing.body;

  const Response userinfo = route.Post("http://a@127.0.0.1/");
  EXPECT_EQ(userinfo.status, 400);
  EXPECT_NE(userinfo.body.find("user name or password"), std::string::npos)
      << userinfo.body;

  ModerationRoute small({"127.0.0.1"}, 100);
  EXPECT_EQ(small.Post(server.Url("/image.jpg")).status, 413);
  EXPECT_EQ(server.connections(), 3);
}

}  // namespace
}  // namespace bulwark::service

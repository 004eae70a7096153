// The HTTP server over real sockets: routing, keep-alive, limits,
// timeouts, authentication, the bounded work queue and graceful shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "bulwark/service/router.h"
#include "service/server_fixture.h"
#include "support/http_client.h"

namespace bulwark::service {
namespace {

using bulwark::testing::FastOptions;
using bulwark::testing::HttpConnection;
using bulwark::testing::HttpRequest;
using bulwark::testing::HttpResult;
using bulwark::testing::RunningServer;
using namespace std::chrono_literals;

// Holds handlers until the test opens it, and counts who is waiting.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // True once `n` handlers are inside Wait().
  bool AwaitWaiting(int n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

Response Text(std::string body) {
  Response r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

Router EchoRouter() {
  Router router;
  router.Add({"GET", "/hello", Access::kPublic, Cost::kCheap,
              [](const Request&) { return Text("hi"); }});
  router.Add({"POST", "/echo", Access::kPublic, Cost::kWork,
              [](const Request& r) { return Text(r.body); }});
  router.Add({"GET", "/v1/banks/{name}", Access::kPublic, Cost::kWork,
              [](const Request& r) {
                std::string out = r.params.at("name");
                for (const auto& [k, v] : r.query) {
                  out += '|';
                  out += k;
                  out += '=';
                  out += v;
                }
                out += '|';
                out += r.header("x-test").value_or("-");
                return Text(out);
              }});
  router.Add({"GET", "/throw", Access::kPublic, Cost::kWork,
              [](const Request&) -> Response {
                throw std::runtime_error("secret detail");
              }});
  return router;
}

std::string ErrorType(const HttpResult& r) {
  boost::json::value v = boost::json::parse(r.body);
  return boost::json::value_to<std::string>(v.at("error").at("type"));
}

TEST(ServiceServer, RoutesAnswerAndUnknownPathsGet404Or405) {
  RunningServer s(EchoRouter());
  HttpResult ok = HttpRequest(s.port(), "GET", "/hello");
  ASSERT_EQ(ok.status, 200) << ok.error;
  EXPECT_EQ(ok.body, "hi");
  EXPECT_EQ(ok.header("server"), "bulwark");
  EXPECT_EQ(ok.header("content-type"), "text/plain");

  HttpResult missing = HttpRequest(s.port(), "GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "application/json");
  EXPECT_EQ(ErrorType(missing), "not_found_error");

  HttpResult wrong = HttpRequest(s.port(), "DELETE", "/hello");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "GET");
}

TEST(ServiceServer, PathParamsQueryAndHeadersAreDecoded) {
  RunningServer s(EchoRouter());
  HttpResult r =
      HttpRequest(s.port(), "GET", "/v1/banks/a%2Fb%20c?x=1%2B2&y=a+b", "",
                  {{"X-Test", "yes"}});
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "a/b c|x=1+2|y=a b|yes");
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/v1/banks/x?bad=%zz").status, 400);
}

TEST(ServiceServer, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer s(EchoRouter());
  HttpConnection c(s.port());
  ASSERT_TRUE(c.connected()) << c.connect_error();
  HttpResult a = c.Send("POST", "/echo", "one");
  HttpResult b = c.Send("POST", "/echo", "two");
  EXPECT_EQ(a.status, 200) << a.error;
  EXPECT_EQ(a.body, "one");
  EXPECT_EQ(b.status, 200) << b.error;
  EXPECT_EQ(b.body, "two");
  EXPECT_NE(a.header("connection"), "close");
}

TEST(ServiceServer, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer s(EchoRouter());
  HttpConnection c(s.port());
  ASSERT_TRUE(c.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nB"));
  HttpResult a = c.ReadResponse();
  HttpResult b = c.ReadResponse();
  EXPECT_EQ(a.body, "A");
  EXPECT_EQ(b.body, "B");
}

TEST(ServiceServer, OversizedBodyGets413AndTheServerKeepsServing) {
  ServerOptions o = FastOptions();
  o.max_body_bytes = 1024;
  RunningServer s(EchoRouter(), o);
  HttpResult big =
      HttpRequest(s.port(), "POST", "/echo", std::string(64 << 10, 'x'));
  EXPECT_EQ(big.status, 413) << big.error;
  EXPECT_EQ(big.header("connection"), "close");
  EXPECT_EQ(ErrorType(big), "invalid_request_error");

  // Chunked: the limit is found while reading the body.
  HttpConnection c(s.port());
  ASSERT_TRUE(c.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "800\r\n" +
      std::string(0x800, 'y') + "\r\n0\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 413);

  HttpResult small = HttpRequest(s.port(), "POST", "/echo", "fine");
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(small.body, "fine");
}

TEST(ServiceServer, SlowHeaderIsClosedAfterTheHeaderTimeout) {
  ServerOptions o = FastOptions();
  o.header_timeout = 300ms;
  RunningServer s(EchoRouter(), o);
  HttpConnection c(s.port());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.SendRaw("GET /hello HTTP/1.1\r\nHost: x\r\n"));
  HttpConnection::RawRead got = c.ReadUntilClose(3s);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(got.closed);
  EXPECT_LT(took, 300ms + 1500ms);
  EXPECT_EQ(got.data.rfind("HTTP/1.1 408", 0), 0u) << got.data;

  // A connection that sends nothing at all is closed too.
  HttpConnection silent(s.port());
  EXPECT_TRUE(silent.ReadUntilClose(3s).closed);
}

TEST(ServiceServer, SlowBodyIsClosedAfterTheBodyTimeout) {
  ServerOptions o = FastOptions();
  o.body_timeout = 300ms;
  RunningServer s(EchoRouter(), o);
  HttpConnection c(s.port());
  ASSERT_TRUE(c.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  HttpConnection::RawRead got = c.ReadUntilClose(3s);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.data.rfind("HTTP/1.1 408", 0), 0u) << got.data;
}

TEST(ServiceServer, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o = FastOptions();
  o.idle_timeout = 300ms;
  RunningServer s(EchoRouter(), o);
  HttpConnection c(s.port());
  EXPECT_EQ(c.Send("GET", "/hello").status, 200);
  const auto start = std::chrono::steady_clock::now();
  HttpConnection::RawRead got = c.ReadUntilClose(3s);
  EXPECT_TRUE(got.closed);
  EXPECT_TRUE(got.data.empty()) << got.data;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(ServiceServer, MalformedRequestGets400AndClose) {
  RunningServer s(EchoRouter());
  HttpConnection c(s.port());
  ASSERT_TRUE(c.SendRaw("this is not http\r\n\r\n"));
  HttpConnection::RawRead got = c.ReadUntilClose(3s);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.data.rfind("HTTP/1.1 400", 0), 0u) << got.data;
  EXPECT_NE(got.data.find("invalid_request_error"), std::string::npos);

  HttpConnection bad_length(s.port());
  ASSERT_TRUE(bad_length.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"));
  EXPECT_EQ(bad_length.ReadResponse().status, 400);
}

TEST(ServiceServer, OversizedHeaderGets431) {
  ServerOptions o = FastOptions();
  o.max_header_bytes = 1024;
  RunningServer s(EchoRouter(), o);
  HttpResult r = HttpRequest(s.port(), "GET", "/hello", "",
                             {{"X-Big", std::string(4096, 'h')}});
  EXPECT_EQ(r.status, 431) << r.error;
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/hello").status, 200);
}

TEST(ServiceServer, ExpectContinueGetsA100BeforeTheBody) {
  RunningServer s(EchoRouter());
  HttpConnection c(s.port());
  ASSERT_TRUE(
      c.SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                "Expect: 100-continue\r\n\r\n"));
  HttpResult interim = c.ReadResponse();
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(c.SendRaw("hello"));
  HttpResult r = c.ReadResponse();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "hello");
}

TEST(ServiceServer, KeysAreCheckedPerRouteAccess) {
  const std::string client_key = "client-secret";
  const std::string admin_key = "admin-secret";
  Authenticator auth({{"frontend", HashApiKey(client_key), Role::kClient},
                      {"ops", HashApiKey(admin_key), Role::kAdmin}});
  Router router;
  // The key never reaches a handler, only its name.
  auto who = [](const Request& r) {
    return Text(r.key_name + (r.header("authorization") ? "+key" : ""));
  };
  router.Add({"GET", "/public", Access::kPublic, Cost::kCheap, who});
  router.Add({"POST", "/client", Access::kClient, Cost::kCheap, who});
  router.Add({"POST", "/admin", Access::kAdmin, Cost::kWork, who});
  RunningServer s(std::move(router), FastOptions(), auth);
  const int port = s.port();
  auto bearer = [](const std::string& key) {
    return testing::Headers{{"Authorization", "Bearer " + key}};
  };

  EXPECT_EQ(HttpRequest(port, "GET", "/public").status, 200);
  HttpResult none = HttpRequest(port, "POST", "/client", "body");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(ErrorType(none), "authentication_error");
  EXPECT_EQ(HttpRequest(port, "POST", "/client", "", bearer("wrong")).status,
            401);

  HttpResult client =
      HttpRequest(port, "POST", "/client", "", bearer(client_key));
  EXPECT_EQ(client.status, 200);
  EXPECT_EQ(client.body, "frontend");
  HttpResult forbidden =
      HttpRequest(port, "POST", "/admin", "", bearer(client_key));
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(ErrorType(forbidden), "permission_error");

  HttpResult admin = HttpRequest(port, "POST", "/admin", "", bearer(admin_key));
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(admin.body, "ops");
  EXPECT_EQ(HttpRequest(port, "POST", "/client", "", bearer(admin_key)).status,
            200);

  // An unauthenticated request with a body is refused before the body is
  // read, and the connection closes since the body is still unread.
  HttpConnection c(port);
  ASSERT_TRUE(c.SendRaw(
      "POST /client HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
  HttpResult early = c.ReadResponse();
  EXPECT_EQ(early.status, 401);
  EXPECT_EQ(early.header("connection"), "close");
}

TEST(ServiceServer, InsecureModeGrantsEveryRole) {
  Router router;
  router.Add({"POST", "/admin", Access::kAdmin, Cost::kCheap,
              [](const Request&) { return Text("ok"); }});
  RunningServer s(std::move(router));  // Authenticator::Insecure()
  EXPECT_EQ(HttpRequest(s.port(), "POST", "/admin").status, 200);
}

TEST(ServiceServer, HandlerExceptionsBecomeAGeneric500) {
  RunningServer s(EchoRouter());
  HttpResult r = HttpRequest(s.port(), "GET", "/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ErrorType(r), "server_error");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(ServiceServer, FullWorkQueueAnswers503AndCheapRoutesStillRun) {
  Gate gate;
  Router router;
  router.Add(
      {"GET", "/slow", Access::kPublic, Cost::kWork, [&gate](const Request&) {
         gate.Wait();
         return Text("done");
       }});
  router.Add({"GET", "/cheap", Access::kPublic, Cost::kCheap,
              [](const Request&) { return Text("quick"); }});
  ServerOptions o = FastOptions();
  o.workers = 1;
  o.max_queued = 1;
  o.body_timeout = 10s;  // also the write deadline; keep it out of the way
  RunningServer s(std::move(router), o);
  const int port = s.port();

  auto slow = [port] { return HttpRequest(port, "GET", "/slow"); };
  auto first = std::async(std::launch::async, slow);
  ASSERT_TRUE(gate.AwaitWaiting(1));  // the only worker is busy
  // One of these two takes the single queue slot; the other is refused at
  // once, whichever arrives second.
  auto second = std::async(std::launch::async, slow);
  auto third = std::async(std::launch::async, slow);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (second.wait_for(10ms) != std::future_status::ready &&
         third.wait_for(10ms) != std::future_status::ready &&
         std::chrono::steady_clock::now() < deadline) {
  }
  EXPECT_EQ(HttpRequest(port, "GET", "/cheap").body, "quick");

  gate.Open();
  std::vector<HttpResult> results = {first.get(), second.get(), third.get()};
  int ok = 0, busy = 0;
  for (const HttpResult& r : results) {
    if (r.status == 200) ++ok;
    if (r.status == 503) {
      ++busy;
      EXPECT_EQ(r.header("retry-after"), "1");
      EXPECT_EQ(ErrorType(r), "server_error");
    }
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(busy, 1);
  EXPECT_EQ(results[0].status, 200);
}

TEST(ServiceServer, StopLetsAnInFlightRequestFinish) {
  Gate gate;
  Router router;
  router.Add({"POST", "/slow", Access::kPublic, Cost::kWork,
              [&gate](const Request& r) {
                gate.Wait();
                return Text(r.body);
              }});
  router.Add({"GET", "/cheap", Access::kPublic, Cost::kCheap,
              [](const Request&) { return Text("quick"); }});
  RunningServer s(std::move(router));
  const int port = s.port();

  // An idle keep-alive connection must not hold the shutdown up.
  HttpConnection idle(port);
  EXPECT_EQ(idle.Send("GET", "/cheap").status, 200);

  auto slow = std::async(std::launch::async, [port] {
    return HttpRequest(port, "POST", "/slow", "payload");
  });
  ASSERT_TRUE(gate.AwaitWaiting(1));
  auto stopped = std::async(std::launch::async, [&s] { s.StopAndJoin(); });
  EXPECT_EQ(stopped.wait_for(300ms), std::future_status::timeout)
      << "Run() returned with a request in flight";
  EXPECT_TRUE(idle.ReadUntilClose(3s).closed);

  gate.Open();
  HttpResult r = slow.get();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "payload");
  EXPECT_EQ(stopped.wait_for(5s), std::future_status::ready);
  // Nothing listens any more.
  EXPECT_EQ(HttpRequest(port, "GET", "/cheap").status, 0);
}

TEST(ServiceServer, BadStatusesFromRoutesDoNotBreakTheServer) {
  Router router;
  router.Add(
      {"GET", "/empty", Access::kPublic, Cost::kCheap, [](const Request&) {
         Response r = Text("dropped");
         r.status = 204;
         return r;
       }});
  router.Add(
      {"GET", "/bogus", Access::kPublic, Cost::kCheap, [](const Request&) {
         Response r = Text("x");
         r.status = 42;
         return r;
       }});
  RunningServer s(std::move(router));
  HttpResult empty = HttpRequest(s.port(), "GET", "/empty");
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.body, "");
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/bogus").status, 500);
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/empty").status, 204);
}

TEST(ServiceServer, ConnectionsBeyondTheLimitAreClosed) {
  ServerOptions o = FastOptions();
  o.max_connections = 1;
  RunningServer s(EchoRouter(), o);
  HttpConnection first(s.port());
  EXPECT_EQ(first.Send("GET", "/hello").status, 200);
  HttpConnection second(s.port());
  HttpConnection::RawRead got = second.ReadUntilClose(1s);
  EXPECT_TRUE(got.closed);
  EXPECT_TRUE(got.data.empty());
  EXPECT_EQ(first.Send("GET", "/hello").status, 200);
}

TEST(ServiceServer, RequestsAreCountedInMetrics) {
  RunningServer s(EchoRouter());
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/hello").status, 200);
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/hello").status, 200);
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/v1/banks/x").status, 200);
  EXPECT_EQ(HttpRequest(s.port(), "GET", "/missing").status, 404);
  const std::string text = s.metrics().Render();
  EXPECT_NE(text.find("bulwark_http_requests_total{route=\"/hello\",method="
                      "\"GET\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"/v1/banks/{name}\""), std::string::npos);
  EXPECT_NE(text.find("{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("bulwark_http_request_duration_seconds_count{route="
                      "\"/hello\"} 2"),
            std::string::npos);
}

TEST(ServiceServer, StartFailsOnAnAddressInUse) {
  RunningServer first(EchoRouter());
  ServerOptions o = FastOptions();
  o.port = first.port();
  Authenticator auth = Authenticator::Insecure();
  Metrics metrics;
  Server second(o, EchoRouter(), auth, metrics);
  Status st = second.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIo);
  EXPECT_NE(st.error().message.find("127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::service

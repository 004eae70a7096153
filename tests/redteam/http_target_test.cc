// The HTTP moderation target against a tiny keep-alive server on 127.0.0.1
// (raw sockets, a thread per connection), and the answer parser on its own.
#include <gtest/gtest.h>

#include <string>

#include "bulwark/redteam/endpoint_url.h"
#include "bulwark/redteam/moderation_answer.h"
#include "bulwark/redteam/target.h"
#include "redteam/moderation_server.h"

namespace bulwark::redteam {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using test_support::Answer;
using test_support::ModerationServer;

std::unique_ptr<Target> Make(const std::string& url, std::string key = "",
                             std::chrono::milliseconds timeout = 5000ms) {
  auto t = MakeHttpModerationTarget(url, std::move(key), timeout);
  EXPECT_TRUE(t.ok()) << t.error().ToString();
  return t.ok() ? std::move(*t) : nullptr;
}

TEST(HttpTargetTest, ChecksOverOneKeptAliveConnection) {
  ModerationServer server;
  auto target = Make(server.Url("/v1/moderations"));
  ASSERT_TRUE(target);
  EXPECT_TRUE(target->concurrent());
  for (int i = 0; i < 5; ++i) {
    auto yes = target->Check("hello world");
    ASSERT_TRUE(yes.ok()) << yes.error().ToString();
    EXPECT_TRUE(yes->blocked);
    EXPECT_TRUE(yes->flagged);
    EXPECT_EQ(yes->detail, "categories: sexual/minors");
    auto no = target->Check("example \"phrase\"\n");
    ASSERT_TRUE(no.ok());
    EXPECT_FALSE(no->blocked);
    EXPECT_FALSE(no->flagged);
  }
  EXPECT_EQ(server.last_body(),
            "{\"input\":\"example \\\"phrase\\\"\\u000a\"}");
  EXPECT_EQ(server.requests(), 10);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpTargetTest, ReconnectsWhenTheServerDroppedTheConnection) {
  ModerationServer server;
  auto target = Make(server.Url("/drop"));
  ASSERT_TRUE(target);
  for (int i = 0; i < 3; ++i) {
    auto r = target->Check("hello");
    ASSERT_TRUE(r.ok()) << i << ": " << r.error().ToString();
    EXPECT_TRUE(r->blocked);
  }
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpTargetTest, SendsTheBearerKeyAndReportsRefusals) {
  ModerationServer server;
  auto good = Make(server.Url("/auth"), "k1");
  ASSERT_TRUE(good);
  EXPECT_TRUE(good->Check("hello").ok());
  auto bad = Make(server.Url("/auth"));
  ASSERT_TRUE(bad);
  auto r = bad->Check("hello");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_NE(r.error().message.find("401 Unauthorized: {\"error\":\"bad api "
                                   "key\"}"),
            std::string::npos)
      << r.error().message;
  // The error answer left the connection usable.
  EXPECT_FALSE(bad->Check("hello").ok());
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpTargetTest, BoundsSizeAndTime) {
  ModerationServer server;
  auto huge = Make(server.Url("/huge"));
  auto r = huge->Check("hello");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than"), std::string::npos)
      << r.error().message;

  auto bad = Make(server.Url("/bad"));
  r = bad->Check("hello");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);

  auto hang = Make(server.Url("/hang"), "", 300ms);
  const auto start = std::chrono::steady_clock::now();
  r = hang->Check("hello");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("within 300 ms"), std::string::npos)
      << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(HttpTargetTest, ConnectionFailuresAreErrors) {
  // A port nobody listens on: bind one, note it, close it.
  uint16_t port;
  {
    asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }
  auto t = Make("http://127.0.0.1:" + std::to_string(port) + "/v1/moderations");
  auto r = t->Check("hello");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cannot connect"), std::string::npos);
  // TLS to a plain server: a handshake error, not a hang.
  ModerationServer server;
  auto tls = Make("https://127.0.0.1:" +
                      server.Url("").substr(server.Url("").rfind(':') + 1),
                  "", 500ms);
  ASSERT_TRUE(tls);
  r = tls->Check("hello");
  ASSERT_FALSE(r.ok());
}

TEST(HttpTargetTest, RejectsBadUrls) {
  for (const char* url :
       {"ftp://x/", "http://", "http://user:pw@host/", "http://host:0/",
        "http://host:99999/", "http://ho st/", "localhost:8080"}) {
    auto t = MakeHttpModerationTarget(url, "", 1000ms);
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  }
  auto u = ParseEndpointUrl("HTTPS://Example.COM/v1/moderations?x=1#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->https);
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/v1/moderations?x=1");
  EXPECT_EQ(HostHeader(*u), "example.com");
  u = ParseEndpointUrl("http://[::1]:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(HostHeader(*u), "[::1]:8080");
}

TEST(ModerationAnswerTest, BulwarkVerdictSeparatesReviewFromBlock) {
  auto review = ParseModerationAnswer(Answer(
      true,
      ",\"bulwark\":{\"verdict\":\"review\",\"reasons\":[\"rule a\",\"rule "
      "b\"]}"));
  ASSERT_TRUE(review.ok());
  EXPECT_TRUE(review->flagged);
  EXPECT_FALSE(review->blocked);
  EXPECT_EQ(review->detail, "verdict review: rule a; rule b");
  auto block = ParseModerationAnswer(
      Answer(true, ",\"bulwark\":{\"verdict\":\"block\",\"reasons\":[]}"));
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->blocked);
  auto allow = ParseModerationAnswer(Answer(false));
  ASSERT_TRUE(allow.ok());
  EXPECT_FALSE(allow->flagged);
  EXPECT_EQ(allow->detail, "not flagged");
}

TEST(ModerationAnswerTest, RefusesAnswersWithoutTheCategory) {
  for (const char* body :
       {"", "[]", "{\"results\":[]}", "{\"results\":[{\"flagged\":true}]}",
        "{\"results\":[{\"categories\":{\"sexual\":true}}]}",
        "{\"results\":[{\"categories\":{\"sexual/minors\":1}}]}"}) {
    auto r = ParseModerationAnswer(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
  }
}

}  // namespace
}  // namespace bulwark::redteam

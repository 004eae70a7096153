#include "bulwark/service/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bulwark::service {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

std::string Call(const Router::Found& found) {
  return found.route->handler(Request{}).body;
}

Router SampleRouter() {
  Router router;
  router.Add(
      {"GET", "/v1/banks", Access::kClient, Cost::kCheap, Named("list")});
  router.Add(
      {"GET", "/v1/banks/{name}", Access::kClient, Cost::kCheap, Named("get")});
  router.Add({"DELETE", "/v1/banks/{name}", Access::kAdmin, Cost::kWork,
              Named("delete")});
  router.Add({"GET", "/v1/banks/{name}/entries/{id}", Access::kClient,
              Cost::kWork, Named("entry")});
  router.Add({"GET", "/v1/banks/search", Access::kClient, Cost::kCheap,
              Named("search")});
  return router;
}

TEST(ServiceRouter, MatchesLiteralAndParamSegments) {
  Router router = SampleRouter();
  auto list = router.Find("GET", "/v1/banks");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(list));
  EXPECT_EQ(Call(std::get<Router::Found>(list)), "list");

  auto entry = router.Find("GET", "/v1/banks/ncmec/entries/42");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(entry));
  const auto& found = std::get<Router::Found>(entry);
  EXPECT_EQ(Call(found), "entry");
  EXPECT_EQ(found.params.at("name"), "ncmec");
  EXPECT_EQ(found.params.at("id"), "42");
  EXPECT_EQ(found.route->pattern, "/v1/banks/{name}/entries/{id}");
}

TEST(ServiceRouter, TheMostLiteralRouteWins) {
  Router router = SampleRouter();
  auto search = router.Find("GET", "/v1/banks/search");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(search));
  EXPECT_EQ(Call(std::get<Router::Found>(search)), "search");
}

TEST(ServiceRouter, ParamsAreDecodedPerSegment) {
  Router router = SampleRouter();
  auto r = router.Find("GET", "/v1/banks/a%2Fb%20c");
  ASSERT_TRUE(std::holds_alternative<Router::Found>(r));
  EXPECT_EQ(std::get<Router::Found>(r).params.at("name"), "a/b c");
  // An empty segment fills no parameter.
  EXPECT_TRUE(
      std::holds_alternative<Response>(router.Find("GET", "/v1/banks/")));
}

TEST(ServiceRouter, UnknownPathIs404AndOtherMethodIs405WithAllow) {
  Router router = SampleRouter();
  auto missing = router.Find("GET", "/v2/nothing");
  ASSERT_TRUE(std::holds_alternative<Response>(missing));
  EXPECT_EQ(std::get<Response>(missing).status, 404);

  auto wrong = router.Find("POST", "/v1/banks/x");
  ASSERT_TRUE(std::holds_alternative<Response>(wrong));
  const Response& r = std::get<Response>(wrong);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.at("Allow"), "DELETE, GET");
}

TEST(ServiceRouter, ErrorResponseHasTheOpenAiShape) {
  Response r = ErrorResponse(400, "bad \"input\"", "", "");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  boost::json::value v = boost::json::parse(r.body);
  const auto& e = v.at("error").as_object();
  EXPECT_EQ(e.at("message").as_string(), "bad \"input\"");
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_TRUE(e.at("param").is_null());
  EXPECT_TRUE(e.at("code").is_null());

  Response with = ErrorResponse(422, "m", "bad_image", "image");
  boost::json::value w = boost::json::parse(with.body);
  EXPECT_EQ(w.at("error").at("code").as_string(), "bad_image");
  EXPECT_EQ(w.at("error").at("param").as_string(), "image");

  const std::pair<int, const char*> types[] = {
      {413, "invalid_request_error"}, {415, "invalid_request_error"},
      {401, "authentication_error"},  {403, "permission_error"},
      {404, "not_found_error"},       {429, "rate_limit_error"},
      {500, "server_error"},          {503, "server_error"}};
  for (const auto& [status, type] : types) {
    boost::json::value t = boost::json::parse(ErrorResponse(status, "x").body);
    EXPECT_EQ(t.at("error").at("type").as_string(), type) << status;
  }
}

}  // namespace
}  // namespace bulwark::service

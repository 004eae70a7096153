// `bulwark serve` end to end: the real binary on a loopback port, a bank
// built from the hashes of a benign image, and every route with good and
// bad input. The server must answer each with the documented status and
// error shape and keep serving.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bulwark/core/base64.h"
#include "bulwark/media/decoder.h"
#include "bulwark/media/resize.h"
#include "bulwark/service/auth.h"
#include "support/cli_runner.h"
#include "support/http_client.h"
#include "support/image_encoders.h"
#include "support/process.h"
#include "support/scratch_dir.h"
#include "support/serve_process.h"
#include "support/test_lexicon.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using testing::HttpRequest;
using testing::HttpResult;

constexpr const char* kClientKey = "test-client-key-0123456789";
constexpr const char* kAdminKey = "test-admin-key-0123456789";

std::vector<uint8_t> Jpeg(const media::Image& img, int quality) {
  testing::JpegOptions o;
  o.quality = quality;
  return testing::EncodeJpeg(img, o);
}

media::Image Load(const std::string& name) {
  return *media::DecodeImage(
      testing::ReadBytes(testing::TestDataDir() + "/pdq/images/" + name), {});
}

std::string DataUri(const std::vector<uint8_t>& bytes) {
  return "data:image/jpeg;base64," + Base64Encode(bytes);
}

void WriteFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

class ServiceE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::string(testing::Scratch("serve"));
    fs::remove_all(*root_);
    fs::create_directories(*root_);
    known_ = new std::vector<uint8_t>(Jpeg(Load("ski-coffee.png"), 90));
    const media::Image k = *media::DecodeImage(*known_, {});
    copy_ = new std::vector<uint8_t>(
        Jpeg(media::ResizeNearest(k, k.width * 3 / 4, k.height * 3 / 4), 70));
    unrelated_ = new std::vector<uint8_t>(Jpeg(Load("ski-moon-gray.png"), 90));
    WriteFile(*root_ + "/known.jpg", *known_);
    WriteFile(*root_ + "/unrelated.jpg", *unrelated_);

    const std::string data = *root_ + "/data";
    ASSERT_EQ(
        testing::Bulwark("bank create known --category csam --data " + data)
            .status,
        0);
    ASSERT_EQ(testing::Bulwark("hash -f csv " + *root_ + "/known.jpg >" +
                               *root_ + "/known.csv")
                  .status,
              0);
    ASSERT_EQ(testing::Bulwark("bank import known " + *root_ +
                               "/known.csv --data " + data)
                  .status,
              0);
    // The default hash rule, and text rules over placeholder words.
    policy_dir_ = new testing::ScratchDir;
    const std::string policy = testing::WritePlaceholderPolicy(*policy_dir_);
    std::ostringstream config;
    config << "policy = \"" << policy << "\"\n"
           << "[server]\nlisten = \"127.0.0.1:0\"\nmax_body_mb = 1\n"
           << "header_timeout_ms = 2000\n\n[[keys]]\nname = \"client\"\n"
           << "sha256 = \"" << service::HashApiKey(kClientKey)
           << "\"\nrole = \"client\"\n\n[[keys]]\nname = \"admin\"\n"
           << "sha256 = \"" << service::HashApiKey(kAdminKey)
           << "\"\nrole = \"admin\"\n";
    const testing::ServeProcess serve =
        testing::StartServe(*root_, config.str(), data);
    server_ = new testing::Child(serve.child);
    port_ = serve.port;
    ASSERT_GT(port_, 0) << testing::Slurp(serve.log);
  }

  static void TearDownTestSuite() {
    ::kill(server_->pid, SIGTERM);
    const testing::Exit e = testing::Wait(*server_);
    EXPECT_EQ(e.status, 0) << testing::Slurp(*root_ + "/serve.log");
    fs::remove_all(*root_);
    delete server_;
    delete known_;
    delete copy_;
    delete unrelated_;
    delete root_;
    delete policy_dir_;
  }

  static HttpResult Post(const std::string& target, const std::string& body,
                         const char* key = kClientKey,
                         const std::string& type = "application/json") {
    std::map<std::string, std::string> h = {{"Content-Type", type}};
    if (key) h["Authorization"] = std::string("Bearer ") + key;
    return HttpRequest(port_, "POST", target, body, h);
  }
  static HttpResult Get(const std::string& target,
                        const char* key = kClientKey) {
    std::map<std::string, std::string> h;
    if (key) h["Authorization"] = std::string("Bearer ") + key;
    return HttpRequest(port_, "GET", target, "", h);
  }
  // POST /v1/check of an output: `image`, generated for `prompt`.
  static HttpResult CheckOutput(const std::vector<uint8_t>& image,
                                const std::string& prompt) {
    json::object body;
    body["direction"] = "output";
    body["image"] = Base64Encode(image);
    body["prompt"] = prompt;
    return Post("/v1/check", json::serialize(body));
  }
  static json::object Json(const HttpResult& r) {
    return json::parse(r.body).as_object();
  }
  // The OpenAI error shape, with its message.
  static std::string ErrorMessage(const HttpResult& r) {
    auto o = Json(r);
    const auto& e = o.at("error").as_object();
    EXPECT_TRUE(e.contains("type"));
    EXPECT_TRUE(e.contains("param"));
    EXPECT_TRUE(e.contains("code"));
    return std::string(e.at("message").as_string());
  }
  static json::object Moderate(const std::vector<uint8_t>& image) {
    json::object part, url;
    url["url"] = DataUri(image);
    part["type"] = "image_url";
    part["image_url"] = url;
    json::object body;
    body["input"] = json::array{part};
    HttpResult r = Post("/v1/moderations", json::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("results").as_array().at(0).as_object();
  }

  static std::string* root_;
  static testing::ScratchDir* policy_dir_;
  static std::vector<uint8_t>*known_, *copy_, *unrelated_;
  static testing::Child* server_;
  static int port_;
};
std::string* ServiceE2e::root_ = nullptr;
testing::ScratchDir* ServiceE2e::policy_dir_ = nullptr;
std::vector<uint8_t>* ServiceE2e::known_ = nullptr;
std::vector<uint8_t>* ServiceE2e::copy_ = nullptr;
std::vector<uint8_t>* ServiceE2e::unrelated_ = nullptr;
testing::Child* ServiceE2e::server_ = nullptr;
int ServiceE2e::port_ = 0;

TEST_F(ServiceE2e, ModerationsFlagsTheBankImageAndItsCopyOnly) {
  for (const auto* img : {known_, copy_}) {
    json::object r = Moderate(*img);
    EXPECT_TRUE(r.at("flagged").as_bool());
    EXPECT_TRUE(r.at("categories").at("sexual/minors").as_bool());
    EXPECT_EQ(r.at("categories").as_object().size(), 13u);
    EXPECT_EQ(r.at("category_scores").as_object().size(), 13u);
    const auto& b = r.at("bulwark").as_object();
    EXPECT_EQ(b.at("verdict").as_string(), "block");
    ASSERT_FALSE(b.at("matches").as_array().empty());
    EXPECT_EQ(b.at("matches").at(0).at("bank").as_string(), "known");
  }
  json::object r = Moderate(*unrelated_);
  EXPECT_FALSE(r.at("flagged").as_bool());
  EXPECT_FALSE(r.at("categories").at("sexual/minors").as_bool());
  EXPECT_TRUE(r.at("bulwark").at("matches").as_array().empty());
}

TEST_F(ServiceE2e, ModerationsRunsTheTextRules) {
  HttpResult r =
      Post("/v1/moderations",
           R"({"input":["banana photo of an 4ppl3","banana","hello"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::array results = Json(r).at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  const json::object& hit = results[0].as_object();
  EXPECT_TRUE(hit.at("flagged").as_bool());
  EXPECT_TRUE(hit.at("categories").at("sexual/minors").as_bool());
  EXPECT_EQ(hit.at("category_scores").at("sexual/minors").as_double(), 1.0);
  EXPECT_EQ(hit.at("bulwark").at("verdict").as_string(), "block");
  const json::array& findings = hit.at("bulwark").at("findings").as_array();
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].at("category").as_string(), "minor-and-sexual");
  EXPECT_EQ(findings[0].at("evidence").at(0).at("matched").as_string(),
            "4ppl3");
  // "sexual" alone: labelled by an allow rule, not flagged.
  const json::object& labelled = results[1].as_object();
  EXPECT_FALSE(labelled.at("flagged").as_bool());
  EXPECT_TRUE(labelled.at("categories").at("sexual").as_bool());
  EXPECT_FALSE(labelled.at("categories").at("sexual/minors").as_bool());
  EXPECT_FALSE(results[2].at("flagged").as_bool());
}

TEST_F(ServiceE2e, CheckReadsAnOutputsPrompt) {
  HttpResult r =
      CheckOutput(*unrelated_, "apple, twelve year old, b a n a n a");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = Json(r);
  EXPECT_EQ(o.at("verdict").as_string(), "block") << r.body;
  bool from_prompt = false;
  for (const auto& s : o.at("signals").as_array()) {
    from_prompt |= s.as_object().contains("field") &&
                   s.at("field").as_string() == "prompt";
  }
  EXPECT_TRUE(from_prompt) << r.body;
  r = CheckOutput(*unrelated_, "a quiet lake at dawn");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("verdict").as_string(), "allow") << r.body;
}

TEST_F(ServiceE2e, ModerationsTakesStringsAndArrays) {
  HttpResult one = Post("/v1/moderations", R"({"input":"hello there"})");
  ASSERT_EQ(one.status, 200) << one.body;
  auto o = Json(one);
  EXPECT_TRUE(o.at("id").as_string().starts_with("modr-"));
  ASSERT_EQ(o.at("results").as_array().size(), 1u);
  EXPECT_FALSE(o.at("results").at(0).at("flagged").as_bool());
  HttpResult two = Post("/v1/moderations", R"({"input":["a","b","c"]})");
  ASSERT_EQ(two.status, 200);
  EXPECT_EQ(Json(two).at("results").as_array().size(), 3u);
}

TEST_F(ServiceE2e, BadInputGetsTheDocumentedErrors) {
  struct Case {
    std::string body;
    int status;
    std::string says;
  } cases[] = {
      {"{not json", 400, "not valid JSON"},
      {"[1,2]", 400, "JSON object"},
      {R"({"model":"x"})", 400, "'input' is required"},
      {R"({"input":5})", 400, "'input' must be"},
      {R"({"input":[{"type":"image_url","image_url":{"url":"http://169.254.169.254/latest"}}]})",
       400, "not in [images] allow_url_hosts"},
      {R"({"input":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]})",
       400, "input[0]"},
      {R"({"input":[{"type":"video","text":"x"}]})", 400, "input[0].type"},
  };
  for (const Case& c : cases) {
    HttpResult r = Post("/v1/moderations", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    EXPECT_NE(ErrorMessage(r).find(c.says), std::string::npos)
        << c.body << " -> " << r.body;
  }
  // A corrupt image is not silently allowed: the policy's on_error.
  std::vector<uint8_t> broken(known_->begin(), known_->begin() + 200);
  json::object r = Moderate(broken);
  EXPECT_TRUE(r.at("flagged").as_bool());
  EXPECT_EQ(r.at("bulwark").at("verdict").as_string(), "review");
  EXPECT_FALSE(r.at("bulwark").at("errors").as_array().empty());
  // And the server still serves.
  EXPECT_EQ(HttpRequest(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServiceE2e, CheckTakesJsonAndMultipart) {
  // The bank image, and a resized, re-encoded copy (other bytes: PDQ only).
  for (const auto* img : {known_, copy_}) {
    HttpResult r = CheckOutput(*img, "a cup of coffee");
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = Json(r);
    EXPECT_EQ(o.at("verdict").as_string(), "block");
    EXPECT_EQ(o.at("categories").at(0).as_string(), "sexual/minors");
    ASSERT_FALSE(o.at("signals").as_array().empty());
    EXPECT_EQ(o.at("signals").at(0).at("match").at("bank").as_string(),
              "known");
    EXPECT_EQ(o.at("hashes").at("md5").as_string().size(), 32u);
    EXPECT_TRUE(o.at("elapsed_ms").is_double());
  }

  const std::string boundary = "xYzBoundary";
  std::string form = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"direction\""
                     "\r\n\r\ninput\r\n--" +
                     boundary +
                     "\r\nContent-Disposition: form-data; name=\"image\"; "
                     "filename=\"u.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
  form.append(unrelated_->begin(), unrelated_->end());
  form += "\r\n--" + boundary + "--\r\n";
  HttpResult m = Post("/v1/check", form, kClientKey,
                      "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_EQ(Json(m).at("verdict").as_string(), "allow");

  EXPECT_EQ(Post("/v1/check", R"({"text":"x","colour":"red"})").status, 400);
  EXPECT_EQ(Post("/v1/check", R"({"direction":"sideways","text":"x"})").status,
            400);
  EXPECT_EQ(Post("/v1/check", R"({"image":"not base64!"})").status, 400);
  EXPECT_EQ(Post("/v1/check", R"({})").status, 400);
}

TEST_F(ServiceE2e, HashAndMatch) {
  const std::string known(known_->begin(), known_->end());
  HttpResult h = Post("/v1/hash", known, kClientKey, "image/jpeg");
  ASSERT_EQ(h.status, 200) << h.body;
  const std::string pdq(Json(h).at("pdq").as_string());
  EXPECT_EQ(pdq.size(), 64u);
  HttpResult bad = Post("/v1/hash", "plain text, not an image", kClientKey,
                        "application/octet-stream");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Json(bad).at("hashes").at("md5").as_string().size(), 32u);

  HttpResult m =
      Post("/v1/match", R"({"signals":[{"type":"pdq","value":")" + pdq +
                            R"("},"md5:00000000000000000000000000000000"]})");
  ASSERT_EQ(m.status, 200) << m.body;
  auto results = Json(m).at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].at("matches").as_array().empty());
  EXPECT_TRUE(results[1].at("matches").as_array().empty());
  EXPECT_EQ(Post("/v1/match", R"({"signals":["pdq:zz"]})").status, 400);
  EXPECT_EQ(Post("/v1/match", R"({"signals":"x"})").status, 400);
}

TEST_F(ServiceE2e, BankChangesOverTheAdminApiApplyToTheNextRequest) {
  EXPECT_EQ(Post("/v1/banks", R"({"name":"late","category":"csam"})").status,
            403);  // a client key
  HttpResult c =
      Post("/v1/banks", R"({"name":"late","category":"csam"})", kAdminKey);
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(Post("/v1/banks", R"({"name":"late"})", kAdminKey).status, 409);
  EXPECT_FALSE(Moderate(*unrelated_).at("flagged").as_bool());

  const std::string u(unrelated_->begin(), unrelated_->end());
  const std::string pdq(Json(Post("/v1/hash", u, kClientKey, "image/jpeg"))
                            .at("pdq")
                            .as_string());
  HttpResult add = Post(
      "/v1/banks/late/entries",
      R"({"entries":[{"type":"pdq","value":")" + pdq + R"(","label":"test"}]})",
      kAdminKey);
  ASSERT_EQ(add.status, 200) << add.body;
  EXPECT_EQ(Json(add).at("added").as_int64(), 1);
  EXPECT_TRUE(Moderate(*unrelated_).at("flagged").as_bool());

  HttpResult shown = Get("/v1/banks/late", kAdminKey);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(Json(shown).at("entries_active").as_int64(), 1);
  HttpResult exported = Get("/v1/banks/late/entries", kAdminKey);
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find(pdq), std::string::npos);
  HttpResult found = Post(
      "/v1/match", R"({"banks":["late"],"signals":["pdq:)" + pdq + R"("]})");
  ASSERT_EQ(found.status, 200) << found.body;
  const std::string id = std::to_string(Json(found)
                                            .at("results")
                                            .at(0)
                                            .at("matches")
                                            .at(0)
                                            .at("entry_id")
                                            .as_int64());

  HttpResult off = Post("/v1/banks/late/entries/" + id + "/disable",
                        R"({"reason":"test over"})", kAdminKey);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(Moderate(*unrelated_).at("flagged").as_bool());

  HttpResult patch =
      HttpRequest(port_, "PATCH", "/v1/banks/known", R"({"enabled":false})",
                  {{"Authorization", std::string("Bearer ") + kAdminKey},
                   {"Content-Type", "application/json"}});
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_FALSE(Moderate(*known_).at("flagged").as_bool());
  HttpRequest(port_, "PATCH", "/v1/banks/known", R"({"enabled":true})",
              {{"Authorization", std::string("Bearer ") + kAdminKey},
               {"Content-Type", "application/json"}});
  EXPECT_TRUE(Moderate(*known_).at("flagged").as_bool());

  HttpResult del =
      HttpRequest(port_, "DELETE", "/v1/banks/late", "",
                  {{"Authorization", std::string("Bearer ") + kAdminKey}});
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(Get("/v1/banks/late", kAdminKey).status, 404);
}

TEST_F(ServiceE2e, KeysRoutesAndLimits) {
  EXPECT_EQ(Post("/v1/moderations", R"({"input":"x"})", nullptr).status, 401);
  HttpResult wrong = Post("/v1/moderations", R"({"input":"x"})", "nope");
  EXPECT_EQ(wrong.status, 401);
  ErrorMessage(wrong);
  EXPECT_EQ(Get("/v1/banks").status, 403);
  EXPECT_EQ(Get("/v1/banks", kAdminKey).status, 200);
  EXPECT_EQ(Get("/v1/nothing-here").status, 404);
  EXPECT_EQ(Get("/v1/moderations").status, 405);
  // Over the 1 MiB limit of this test's config.
  HttpResult big = Post("/v1/moderations",
                        "{\"input\":\"" + std::string(2 << 20, 'a') + "\"}");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(HttpRequest(port_, "GET", "/healthz").status, 200);
  // Public operations routes.
  HttpResult metrics = HttpRequest(port_, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("bulwark_http_requests_total"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("bulwark_index_entries"), std::string::npos);
  HttpResult api = HttpRequest(port_, "GET", "/openapi.json");
  ASSERT_EQ(api.status, 200);
  EXPECT_TRUE(Json(api).at("paths").as_object().contains("/v1/moderations"));
}

// The official openai npm package, pointed at the service (tests/node).
TEST_F(ServiceE2e, OpenAiNodeClientParsesTheResponses) {
  const std::string script =
      std::string(BULWARK_SOURCE_DIR) + "/tests/node/moderations_client.mjs";
  const std::string cmd =
      "BULWARK_URL=http://127.0.0.1:" + std::to_string(port_) +
      "/v1 BULWARK_KEY=" + kClientKey + " node " + script + " " + *root_ +
      "/known.jpg " + *root_ + "/unrelated.jpg 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ASSERT_EQ(pclose(p), 0) << out;
  std::map<std::string, json::object> calls;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    auto o = json::parse(line).as_object();
    calls[std::string(o.at("call").as_string())] = o;
  }
  ASSERT_EQ(calls.size(), 5u) << out;
  EXPECT_EQ(calls["string"].at("results").as_array().size(), 1u);
  EXPECT_EQ(calls["array"].at("results").as_array().size(), 2u);
  const auto& known = calls["known-image"].at("results").at(0).as_object();
  EXPECT_TRUE(known.at("flagged").as_bool());
  EXPECT_TRUE(known.at("minors").as_bool());
  EXPECT_EQ(known.at("keys").as_int64(), 13);
  EXPECT_GT(known.at("matches").as_int64(), 0);
  EXPECT_EQ(calls["known-image"].at("model").as_string(),
            "omni-moderation-latest");
  EXPECT_FALSE(
      calls["unrelated-image"].at("results").at(0).at("flagged").as_bool());
  EXPECT_EQ(calls["remote-url"].at("status").as_int64(), 400);
  EXPECT_TRUE(calls["remote-url"].at("isApiError").as_bool());
}

}  // namespace
}  // namespace bulwark

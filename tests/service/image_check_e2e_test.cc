// The image classifier end to end (issue 8): `bulwark serve` with the
// shipped model and a policy whose text rules use placeholder words
// ("apple" a minor indicator, "banana" a sexual-content one), benign test
// images, and `bulwark check image` on the same files.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>

#include "bulwark/core/base64.h"
#include "bulwark/service/auth.h"
#include "support/cli_runner.h"
#include "support/http_client.h"
#include "support/scratch_dir.h"
#include "support/serve_process.h"
#include "support/test_lexicon.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {
namespace json = boost::json;

constexpr const char* kKey = "test-client-key-0123456789";

// The shipped [image] section's shape over the placeholder text rules.
constexpr const char* kImagePolicy = R"(
[[text.rule]]
name = "minor-mentioned"
all = ["minor"]
action = "signal"

[image]
sexual = ["nsfw.porn", "nsfw.hentai"]
youth_rules = ["minor-mentioned"]

[[image.rule]]
name = "sexual-image-and-youth"
direction = "output"
sexual_at_least = 0.85
youth_at_least = 0.3
action = "block"
category = "sexual/minors"
)";

std::string Image(const std::string& name) {
  return testing::TestDataDir() + "/pdq/images/" + name;
}

class ImageCheckE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir;
    policy_ = new std::string(testing::WritePlaceholderPolicy(*dir_));
    std::ofstream(*policy_, std::ios::app) << kImagePolicy;
    const std::string config =
        "policy = \"" + *policy_ +
        "\"\n[server]\nlisten = \"127.0.0.1:0\"\n\n[[keys]]\nname = "
        "\"client\"\nsha256 = \"" +
        service::HashApiKey(kKey) + "\"\nrole = \"client\"\n";
    serve_ = new testing::ServeProcess(
        testing::StartServe(dir_->path(), config, *dir_ / "data"));
    ASSERT_GT(serve_->port, 0) << testing::Slurp(serve_->log);
  }

  static void TearDownTestSuite() {
    ::kill(serve_->child.pid, SIGTERM);
    EXPECT_EQ(testing::Wait(serve_->child).status, 0)
        << testing::Slurp(serve_->log);
    delete serve_;
    delete policy_;
    delete dir_;
  }

  static json::object Check(const std::string& image,
                            const std::string& prompt) {
    const json::object body{
        {"direction", "output"},
        {"image", Base64Encode(testing::ReadBytes(Image(image)))},
        {"prompt", prompt}};
    const testing::HttpResult r = testing::HttpRequest(
        serve_->port, "POST", "/v1/check", json::serialize(body),
        {{"Content-Type", "application/json"},
         {"Authorization", std::string("Bearer ") + kKey}});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_object();
  }

  // Kinds of the signals in a /v1/check answer, with their categories.
  static std::vector<std::string> Signals(const json::object& answer,
                                          const std::string& kind) {
    std::vector<std::string> out;
    for (const json::value& v : answer.at("signals").as_array()) {
      const json::object& s = v.as_object();
      if (s.at("kind").as_string() == kind) {
        out.emplace_back(s.at("category").as_string());
      }
    }
    return out;
  }

  static testing::ScratchDir* dir_;
  static std::string* policy_;
  static testing::ServeProcess* serve_;
};

testing::ScratchDir* ImageCheckE2e::dir_ = nullptr;
std::string* ImageCheckE2e::policy_ = nullptr;
testing::ServeProcess* ImageCheckE2e::serve_ = nullptr;

TEST_F(ImageCheckE2e, BenignImageWithBenignPromptIsAllowedWithItsScores) {
  const json::object a = Check("ski-coffee.png", "a photo of a cup");
  EXPECT_EQ(a.at("verdict").as_string(), "allow") << json::serialize(a);
  EXPECT_TRUE(a.at("errors").as_array().empty()) << json::serialize(a);
  // Every label that feeds a signal is reported, with its score.
  const std::vector<std::string> scores = Signals(a, "image.class");
  for (const char* s :
       {"nsfw.drawing", "nsfw.hentai", "nsfw.porn", "nsfw.sexy"}) {
    EXPECT_NE(std::find(scores.begin(), scores.end(), s), scores.end()) << s;
  }
  EXPECT_TRUE(Signals(a, "text.rule").empty());
}

TEST_F(ImageCheckE2e, SameImageWithMinorAndSexualPromptIsBlockedByTheText) {
  const json::object a = Check("ski-coffee.png", "a photo of an apple banana");
  EXPECT_EQ(a.at("verdict").as_string(), "block") << json::serialize(a);
  EXPECT_NE(json::serialize(a.at("categories")).find("\"sexual/minors\""),
            std::string::npos);
  // Both signals are in the verdict: the text rule that fired on the
  // prompt, and the classifier's scores.
  const std::vector<std::string> rules = Signals(a, "text.rule");
  EXPECT_NE(std::find(rules.begin(), rules.end(), "minor-and-sexual"),
            rules.end())
      << json::serialize(a);
  EXPECT_FALSE(Signals(a, "image.class").empty());
  bool reason = false;
  for (const json::value& r : a.at("reasons").as_array()) {
    reason = reason || std::string(r.as_string()).find("minor-and-sexual") !=
                           std::string::npos;
  }
  EXPECT_TRUE(reason) << json::serialize(a);
}

TEST_F(ImageCheckE2e, AnImageThatDoesNotDecodeIsHeldNotAllowed) {
  const json::object body{
      {"direction", "output"},
      {"image",
       Base64Encode(std::vector<uint8_t>({0xFF, 0xD8, 0xFF, 0xE0, 0, 16}))}};
  const testing::HttpResult r = testing::HttpRequest(
      serve_->port, "POST", "/v1/check", json::serialize(body),
      {{"Content-Type", "application/json"},
       {"Authorization", std::string("Bearer ") + kKey}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object a = json::parse(r.body).as_object();
  EXPECT_EQ(a.at("verdict").as_string(), "review") << r.body;
  bool classifier_error = false;
  for (const json::value& e : a.at("errors").as_array()) {
    classifier_error = classifier_error ||
                       e.as_object().at("detector").as_string() == "classifier";
  }
  EXPECT_TRUE(classifier_error) << r.body;
}

TEST_F(ImageCheckE2e, MetricsCarryClassifierLatencyAndScores) {
  Check("ski-chelsea-cat.png", "a cat");
  const testing::HttpResult m =
      testing::HttpRequest(serve_->port, "GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("bulwark_detector_duration_seconds_count{detector="
                        "\"classifier\"}"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("bulwark_classifier_score_bucket{signal=\"nsfw.porn\","
                        "le=\"0.5\"}"),
            std::string::npos)
      << m.body;
}

TEST_F(ImageCheckE2e, CheckImageCommandGivesTheSameVerdicts) {
  const std::string common = " --policy " + *policy_ + " --data " +
                             (*dir_ / "cli-data") + " --format json";
  testing::RunResult allowed = testing::Bulwark(
      "check image " + Image("ski-coffee.png") + " --prompt 'a cup'" + common);
  EXPECT_EQ(allowed.status, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("\"nsfw.porn\""), std::string::npos)
      << allowed.out;
  testing::RunResult blocked =
      testing::Bulwark("check image " + Image("ski-coffee.png") +
                       " --prompt 'an apple banana'" + common);
  EXPECT_EQ(blocked.status, 3) << blocked.err;
  EXPECT_NE(blocked.out.find("\"block\""), std::string::npos) << blocked.out;
}

TEST(ImageCheckStartup, MissingModelIsAStartupErrorNamingTheFile) {
  testing::ScratchDir dir;
  const std::string policy = testing::WritePlaceholderPolicy(dir);
  std::ofstream(policy, std::ios::app)
      << "\n[image]\nmodel = \"" << (dir / "no-such-model.toml") << "\"\n";
  const testing::RunResult r =
      testing::Bulwark("check image " + Image("ski-coffee.png") + " --policy " +
                       policy + " --data " + (dir / "data"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no-such-model.toml"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bulwark

// Conduct, incidents, reviews and the audit log through the real HTTP
// service (in process, so the test owns the clock): an account that keeps
// sending blocked prompts is warned, throttled, suspended and banned; a
// csam bank match bans at once; a lift is audited; strikes expire; a
// reviewer's confirm adds an image to a bank (its re-encoded copy is then
// blocked by hash) and a false positive stops the same match from blocking.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "bulwark/audit/audit_log.h"
#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/verify.h"
#include "bulwark/bank/sqlite_store.h"
#include "bulwark/core/base64.h"
#include "bulwark/detect/hash_detector.h"
#include "bulwark/detect/text_detector.h"
#include "bulwark/enforce/gate.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/incident/evidence.h"
#include "bulwark/service/auth.h"
#include "bulwark/service/context.h"
#include "service/server_fixture.h"
#include "support/http_client.h"
#include "support/image_encoders.h"
#include "support/scratch_dir.h"
#include "support/synthetic_image.h"
#include "support/test_lexicon.h"

namespace bulwark::service {
namespace {
namespace json = boost::json;

constexpr int64_t kStart = 1795882654000;
constexpr int64_t kHour = 3600 * 1000;
const char* kClientKey = "bwk_test_client_0123456789";
const char* kAdminKey = "bwk_test_admin_0123456789";
const char* kReviewerKey = "bwk_test_reviewer_0123456789";

// Placeholder terms: "apple banana" is a blocked prompt (test_lexicon.h).
const char* kConduct = R"(
[conduct]
strike_ttl = "1d"
ban_at_once = ["known-csam"]
[[conduct.weight]]
category = "sexual/minors"
block = 3
review = 1
[[conduct.threshold]]
points = 3
action = "warn"
[[conduct.threshold]]
points = 6
action = "throttle"
per_minute = 6
[[conduct.threshold]]
points = 9
action = "suspend"
duration = "1h"
[[conduct.threshold]]
points = 12
action = "ban"
)";

std::vector<uint8_t> Jpeg(uint32_t seed, int quality = 90) {
  testing::JpegOptions o;
  o.quality = quality;
  return testing::EncodeJpeg(
      testing::SyntheticImage(320, 240, media::PixelFormat::kRgb8, seed), o);
}

class Accountability : public ::testing::Test {
 protected:
  Accountability() : clock_(kStart) {
    const std::string policy_path = testing::WritePlaceholderPolicy(dir_);
    std::ofstream(policy_path, std::ios::app) << kConduct;
    auto policy = policy::Policy::Load(policy_path);
    EXPECT_TRUE(policy.ok()) << policy.error().ToString();
    policy_ = std::move(*policy);
    auto checker = text::TextChecker::Create(policy_.text());
    EXPECT_TRUE(checker.ok()) << checker.error().ToString();
    text_ = std::make_unique<detect::TextDetector>(
        std::make_shared<const text::TextChecker>(std::move(*checker)));

    auto store = bank::SqliteStore::Open(data_.path());
    EXPECT_TRUE(store.ok());
    store_ = std::move(*store);
    auto matcher = index::Matcher::Create(*store_);
    EXPECT_TRUE(matcher.ok());
    matcher_ = std::move(*matcher);
    hash_ = std::make_unique<detect::HashDetector>(
        *matcher_, detect::HashDetector::DefaultOptions());

    auto conduct =
        enforce::ConductStore::Open(data_.path(), policy_.conduct(), clock_);
    EXPECT_TRUE(conduct.ok());
    conduct_ = std::move(*conduct);
    gate_ = std::make_unique<enforce::Gate>(conduct_.get(), policy_.conduct(),
                                            clock_);
    // The evidence key lives outside the data directory, as it must.
    const std::string key_path = keys_ / "evidence.key";
    EXPECT_TRUE(incident::WriteNewKeyFile(key_path).ok());
    incident::EvidenceOptions evidence{true, key_path, ""};
    auto key = incident::LoadEvidenceKey(evidence, data_.path());
    EXPECT_TRUE(key.ok() && *key) << (key.ok() ? "" : key.error().ToString());
    incident::StoreOptions io;
    io.key = std::make_shared<const incident::EvidenceKey>(std::move(**key));
    auto incidents = incident::IncidentStore::Open(data_.path(), io, clock_);
    EXPECT_TRUE(incidents.ok());
    incidents_ = std::move(*incidents);
    audit::AuditLogOptions ao;
    ao.data_dir = data_.path();
    auto log = audit::AuditLog::Open(ao, clock_);
    EXPECT_TRUE(log.ok());
    audit_ = std::move(*log);

    config_.image_limits = media::DecodeLimits{};
    context_.store = store_.get();
    context_.matcher = matcher_.get();
    context_.policy = &policy_;
    context_.config = &config_;
    context_.metrics = &metrics_;
    context_.detectors = {hash_.get(), text_.get()};
    context_.ready.store(true);
    context_.clock = &clock_;
    context_.accountability = {conduct_.get(), gate_.get(), incidents_.get(),
                               audit_.get(), /*keep_evidence=*/true};
    server_ = std::make_unique<testing::RunningServer>(
        MakeRouter(context_), testing::FastOptions(),
        Authenticator({{"frontend", HashApiKey(kClientKey), Role::kClient},
                       {"ops", HashApiKey(kAdminKey), Role::kAdmin},
                       {"rev", HashApiKey(kReviewerKey), Role::kReviewer}}));
  }

  testing::HttpResult Call(const std::string& method, const std::string& path,
                           const std::string& body, const char* key) {
    testing::Headers h = {{"Authorization", std::string("Bearer ") + key}};
    if (!body.empty()) h["Content-Type"] = "application/json";
    return testing::HttpRequest(server_->port(), method, path, body, h);
  }

  testing::HttpResult Check(const std::string& fields) {
    return Call("POST", "/v1/check", "{" + fields + "}", kClientKey);
  }

  json::object Body(const testing::HttpResult& r) {
    return json::parse(r.body).as_object();
  }

  // A bank of `category` holding `jpeg`'s hashes.
  void Bank(const std::string& name, const std::string& category,
            const std::vector<uint8_t>& jpeg) {
    bank::BankInfo info;
    info.name = name;
    info.category = category;
    auto b = store_->CreateBank(info);
    ASSERT_TRUE(b.ok());
    hash::HashRequest req;
    req.md5 = req.pdq = true;
    const hash::FileHashes h = hash::HashBytes(jpeg, req);
    std::vector<bank::NewEntry> entries(2);
    entries[0].signal = *hash::Signal::Parse(hash::SignalType::kMd5, *h.md5);
    entries[1].signal = hash::Signal::FromPdq(h.pdq->hash);
    ASSERT_TRUE(store_->AddEntries(b->id, entries).ok());
    ASSERT_TRUE(matcher_->Refresh().ok());
  }

  std::vector<audit::Record> AuditRecords() {
    auto reader = audit::AuditReader::Open(data_.path());
    EXPECT_TRUE(reader.ok());
    std::vector<audit::Record> out;
    EXPECT_TRUE((*reader)
                    ->ForEachRecord(1, INT64_MIN,
                                    [&](const audit::Record& r) {
                                      out.push_back(r);
                                      return true;
                                    })
                    .ok());
    auto report = audit::Verify(**reader, {});
    EXPECT_TRUE(report.ok() && report->intact());
    return out;
  }

  testing::ScratchDir dir_, data_, keys_;
  ManualClock clock_;
  policy::Policy policy_ = policy::Policy::Default();
  std::unique_ptr<detect::TextDetector> text_;
  std::unique_ptr<bank::SqliteStore> store_;
  std::unique_ptr<index::Matcher> matcher_;
  std::unique_ptr<detect::HashDetector> hash_;
  std::unique_ptr<enforce::ConductStore> conduct_;
  std::unique_ptr<enforce::Gate> gate_;
  std::unique_ptr<incident::IncidentStore> incidents_;
  std::unique_ptr<audit::AuditLog> audit_;
  ServiceConfig config_;
  Metrics metrics_;
  ServiceContext context_;
  std::unique_ptr<testing::RunningServer> server_;
};

std::string Action(const json::object& check) {
  const json::array& actions =
      check.at("accountability").at("account").at("actions").as_array();
  return actions.empty() ? ""
                         : std::string(actions[0].at("action").as_string());
}

TEST_F(Accountability, WarnThrottleSuspendBanLiftExpire) {
  const std::string blocked = R"("account":"u1","text":"apple banana")";
  auto r = Check(blocked);
  ASSERT_EQ(r.status, 200) << r.body;
  json::object b = Body(r);
  EXPECT_EQ(b.at("verdict").as_string(), "block");
  EXPECT_GT(b.at("accountability").at("incident").as_int64(), 0);
  EXPECT_EQ(Action(b), "warn");
  EXPECT_EQ(Action(Body(Check(blocked))), "throttle");  // 6 points
  EXPECT_EQ(Action(Body(Check(blocked))), "suspend");   // 9 points

  r = Check(blocked);
  EXPECT_EQ(r.status, 403);
  json::object err = Body(r).at("error").as_object();
  EXPECT_EQ(err.at("reason").as_string(), "suspended");
  EXPECT_EQ(err.at("until").as_string(), FormatUtcMs(clock_.NowMs() + kHour));
  // Other accounts are served.
  EXPECT_EQ(Check(R"("account":"u9","text":"hello")").status, 200);

  clock_.Advance(kHour);
  EXPECT_EQ(Action(Body(Check(blocked))), "ban");  // 12 points
  r = Check(blocked);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Body(r).at("error").at("reason").as_string(), "banned");
  // The moderation endpoint refuses the same account (its `user`).
  r = Call("POST", "/v1/moderations", R"({"input":"hi","user":"u1"})",
           kClientKey);
  EXPECT_EQ(r.status, 403);

  // Only an admin lifts, with a reason; the lift is audited.
  EXPECT_EQ(
      Call("POST", "/v1/accounts/u1/lift", R"({"reason":"appeal"})", kClientKey)
          .status,
      403);
  EXPECT_EQ(Call("POST", "/v1/accounts/u1/lift", "{}", kAdminKey).status, 400);
  r = Call("POST", "/v1/accounts/u1/lift", R"({"reason":"appeal upheld"})",
           kAdminKey);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("status").as_string(), "good");
  EXPECT_EQ(Action(Body(Check(blocked))), "warn");  // from zero again

  // Strikes expire after their TTL (1 day).
  clock_.Advance(24 * kHour);
  r = Call("GET", "/v1/accounts/u1", "", kAdminKey);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("points").to_number<double>(), 0);
  EXPECT_EQ(Body(r).at("status").as_string(), "good");

  const std::vector<audit::Record> log = AuditRecords();
  std::vector<std::string> actions;
  for (const audit::Record& rec : log) actions.push_back(rec.action);
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "account.warn", "account.throttle", "account.suspend",
                         "account.ban", "account.lift", "account.warn"}));
  EXPECT_EQ(log[4].actor, "key:ops");
  EXPECT_EQ(log[4].reason, "appeal upheld");
  EXPECT_EQ(log[0].actor, "policy");
}

TEST_F(Accountability, ThrottledAccountsGetRetryAfter) {
  const std::string blocked = R"("account":"u5","text":"apple banana")";
  Check(blocked);
  Check(blocked);  // throttled to 6 a minute: one every 10 s
  ASSERT_EQ(Check(R"("account":"u5","text":"hello")").status, 200);
  auto r = Check(R"("account":"u5","text":"hello")");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "10");
  EXPECT_EQ(Body(r).at("error").at("reason").as_string(), "throttled");
}

TEST_F(Accountability, ACsamBankMatchBansAtOnce) {
  const std::vector<uint8_t> image = Jpeg(1);
  Bank("known", "csam", image);
  auto r = Check(R"("account":"u2","image":")" + Base64Encode(image) + "\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Action(Body(r)), "ban");
  EXPECT_EQ(Check(R"("account":"u2","text":"hello")").status, 403);
}

TEST_F(Accountability, ReviewConfirmAddsToBankAndFalsePositiveAllows) {
  // An output image whose prompt was blocked: an incident with the image.
  const std::vector<uint8_t> image = Jpeg(7);
  auto r = Check(R"("direction":"output","prompt":"apple banana","image":")" +
                 Base64Encode(image) + "\"");
  ASSERT_EQ(r.status, 200) << r.body;
  const int64_t id = Body(r).at("accountability").at("incident").as_int64();
  const std::string item = "/v1/reviews/" + std::to_string(id);

  // Only reviewers see the queue; reviewers cannot check content.
  EXPECT_EQ(Call("GET", "/v1/reviews", "", kClientKey).status, 403);
  EXPECT_EQ(Call("GET", "/v1/reviews", "", kAdminKey).status, 403);
  EXPECT_EQ(Call("POST", "/v1/check", R"({"text":"x"})", kReviewerKey).status,
            403);
  r = Call("GET", "/v1/reviews?state=open", "", kReviewerKey);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(Body(r).at("data").as_array().size(), 1u);
  EXPECT_EQ(r.body.find(Base64Encode(image).substr(0, 40)), std::string::npos);

  // Media: reduced views freely, the original only with a reason.
  r = Call("GET", item + "/media?view=blurred", "", kReviewerKey);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "image/jpeg");
  EXPECT_EQ(Call("GET", item + "/media?view=original", "", kReviewerKey).status,
            400);
  r = Call("GET", item + "/media?view=original&reason=verify%20match", "",
           kReviewerKey);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(std::vector<uint8_t>(r.body.begin(), r.body.end()), image);

  // Confirm into a csam bank: a re-encoded copy is then blocked by hash.
  bank::BankInfo info;
  info.name = "confirmed";
  info.category = "csam";
  ASSERT_TRUE(store_->CreateBank(info).ok());
  r = Call(
      "POST", item + "/decision",
      R"({"decision":"confirm","note":"matches","add_to_bank":"confirmed"})",
      kReviewerKey);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("state").as_string(), "confirmed");
  r = Check(R"("image":")" + Base64Encode(Jpeg(7, 70)) + "\"");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("verdict").as_string(), "block") << r.body;
  // Deciding twice is refused.
  EXPECT_EQ(Call("POST", item + "/decision",
                 R"({"decision":"escalate","note":"again"})", kReviewerKey)
                .status,
            400);

  // A false positive: the image matched a bank wrongly; afterwards the
  // same match no longer blocks.
  const std::vector<uint8_t> benign = Jpeg(11);
  Bank("suspect", "csam", benign);
  r = Check(R"("image":")" + Base64Encode(benign) + "\"");
  ASSERT_EQ(Body(r).at("verdict").as_string(), "block");
  const int64_t fp = Body(r).at("accountability").at("incident").as_int64();
  r = Call("POST", "/v1/reviews/" + std::to_string(fp) + "/decision",
           R"({"decision":"false_positive","note":"benign test image"})",
           kReviewerKey);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("added_to_bank").at("name").as_string(), "allow-list");
  r = Check(R"("image":")" + Base64Encode(benign) + "\"");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("verdict").as_string(), "allow") << r.body;

  std::vector<std::string> actions;
  for (const audit::Record& rec : AuditRecords()) {
    actions.push_back(rec.action);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"evidence.view", "evidence.view_original",
                                      "review.decision", "review.decision"}));
}

TEST_F(Accountability, PurgeAfterRetentionIsAudited) {
  auto r = Check(R"("text":"apple banana")");
  ASSERT_EQ(r.status, 200);
  const int64_t id = Body(r).at("accountability").at("incident").as_int64();
  auto none = PurgeExpired(*incidents_, *audit_, "system", clock_);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  clock_.Advance(91 * 24 * kHour);  // past the 90 days of a non-reportable
  auto purged = PurgeExpired(*incidents_, *audit_, "system", clock_);
  ASSERT_TRUE(purged.ok()) << purged.error().ToString();
  ASSERT_EQ(purged->size(), 1u);
  EXPECT_EQ(purged->at(0).id, id);
  EXPECT_FALSE(incidents_->Get(id).ok());
  const std::vector<audit::Record> log = AuditRecords();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "incident.purge");
  EXPECT_EQ(log[0].target, "incident:" + std::to_string(id));
  EXPECT_EQ(log[0].actor, "system");
}

}  // namespace
}  // namespace bulwark::service

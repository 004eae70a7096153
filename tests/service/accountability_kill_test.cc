// Durability: `bulwark serve` killed (SIGKILL) in the middle of a burst of
// blocked requests loses no acknowledged incident, strike or audit record,
// because each is committed before the response is sent.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/verify.h"
#include "bulwark/core/clock.h"
#include "bulwark/enforce/conduct_store.h"
#include "bulwark/incident/store.h"
#include "bulwark/policy/policy.h"
#include "bulwark/service/auth.h"
#include "support/cli_runner.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/scratch_dir.h"
#include "support/serve_process.h"
#include "support/test_lexicon.h"
#include "support/test_paths.h"

namespace bulwark::service {
namespace {
namespace json = boost::json;

constexpr const char* kKey = "test-kill-client-key-0123456789";

TEST(AccountabilityKill, AcknowledgedRecordsSurviveSigkill) {
  testing::ScratchDir root;
  const std::string policy_path = testing::WritePlaceholderPolicy(root);
  std::ofstream(policy_path, std::ios::app)
      << "\n[conduct]\n[[conduct.weight]]\ncategory = \"sexual/minors\"\n"
         "block = 3\n[[conduct.threshold]]\npoints = 3\naction = \"warn\"\n";
  const std::string data = root / "data";
  const std::string config =
      "policy = \"" + policy_path +
      "\"\n[server]\nlisten = \"127.0.0.1:0\"\n\n[[keys]]\nname = "
      "\"client\"\nsha256 = \"" +
      HashApiKey(kKey) + "\"\nrole = \"client\"\n";
  const testing::ServeProcess serve =
      testing::StartServe(root.path(), config, data);
  testing::Child server = serve.child;
  const int port = serve.port;
  ASSERT_GT(port, 0) << testing::Slurp(serve.log);

  // Four clients, a new account per request (each earns a strike and a
  // warning, so each acknowledged answer stands for an incident, a strike
  // and an audit record).
  std::mutex mu;
  std::map<std::string, int64_t> acknowledged;  // account -> incident
  std::atomic<bool> killed{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int n = 0; !killed.load() && n < 100000; ++n) {
        std::string account = "a";
        account += std::to_string(t);
        account += '-';
        account += std::to_string(n);
        const testing::HttpResult r = testing::HttpRequest(
            port, "POST", "/v1/check",
            R"({"account":")" + account + R"(","text":"apple banana"})",
            {{"Authorization", std::string("Bearer ") + kKey},
             {"Content-Type", "application/json"}});
        if (r.status != 200) continue;  // cut off by the kill
        const json::value v = json::parse(r.body);
        std::lock_guard<std::mutex> lock(mu);
        acknowledged[account] =
            v.at("accountability").at("incident").as_int64();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(server.pid, SIGKILL);
  killed.store(true);
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(testing::Wait(server).status, -1);
  ASSERT_GT(acknowledged.size(), 10u) << testing::Slurp(root / "serve.log");

  SystemClock clock;
  auto incidents = incident::IncidentStore::Open(data, {}, clock);
  ASSERT_TRUE(incidents.ok()) << incidents.error().ToString();
  const policy::Policy policy = *policy::Policy::Load(policy_path);
  auto conduct = enforce::ConductStore::Open(data, policy.conduct(), clock);
  ASSERT_TRUE(conduct.ok()) << conduct.error().ToString();
  auto reader = audit::AuditReader::Open(data);
  ASSERT_TRUE(reader.ok()) << reader.error().ToString();
  std::set<std::string> audited;
  ASSERT_TRUE((*reader)
                  ->ForEachRecord(1, INT64_MIN,
                                  [&](const audit::Record& r) {
                                    if (r.action == "account.warn") {
                                      audited.insert(r.target);
                                    }
                                    return true;
                                  })
                  .ok());
  auto verified = audit::Verify(**reader, {});
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact());

  for (const auto& [account, id] : acknowledged) {
    auto in = (*incidents)->Get(id);
    ASSERT_TRUE(in.ok()) << "incident " << id << " of " << account;
    EXPECT_EQ(in->account, account);
    auto st = (*conduct)->Show(account);
    ASSERT_TRUE(st.ok());
    ASSERT_EQ(st->strikes.size(), 1u) << account;
    EXPECT_EQ(st->strikes[0].incident_id, id);
    EXPECT_EQ(audited.count("account:" + account), 1u) << account;
  }
}

}  // namespace
}  // namespace bulwark::service

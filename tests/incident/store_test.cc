// IncidentStore: records survive a reopen, the review queue filters and
// pages, decisions follow the allowed transitions, and retention purges.
#include "bulwark/incident/store.h"

#include <gtest/gtest.h>

#include "incident/sample_incident.h"
#include "support/scratch_dir.h"

namespace bulwark::incident {
namespace {

using testing::kSampleTimeMs;
using testing::SampleIncident;
using testing::ScratchDir;

constexpr int64_t kDayMs = 86'400'000;

std::unique_ptr<IncidentStore> OpenStore(const std::string& dir,
                                         const Clock& clock,
                                         StoreOptions options = {}) {
  auto store = IncidentStore::Open(dir, std::move(options), clock);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return std::move(*store);
}

TEST(IncidentStoreTest, RoundTripSurvivesReopen) {
  ScratchDir dir;
  ManualClock clock(kSampleTimeMs);
  int64_t id = 0;
  {
    auto store = OpenStore(dir.path(), clock);
    auto created = store->Create(SampleIncident());
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    id = created->id;
    EXPECT_GT(id, 0);
    EXPECT_EQ(created->state, State::kOpen);
    EXPECT_FALSE(created->has_evidence);
  }
  // Durable when Create returned: a fresh store (a new process) reads it.
  auto store = OpenStore(dir.path(), clock);
  auto got = store->Get(id);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  const NewIncident want = SampleIncident();
  EXPECT_EQ(got->time_ms, want.time_ms);
  EXPECT_EQ(got->account, "acct-0001");
  EXPECT_EQ(got->api_key_id, "key-7");
  EXPECT_EQ(got->direction, detect::Direction::kOutput);
  EXPECT_TRUE(got->generative_ai());
  EXPECT_EQ(got->action, policy::Action::kReport);
  EXPECT_EQ(got->categories, want.categories);
  EXPECT_EQ(got->reasons, want.reasons);
  ASSERT_EQ(got->signals.size(), 1u);
  EXPECT_EQ(got->signals[0].bank_name, "test-bank");
  EXPECT_EQ(got->signals[0].entry_id, 81);
  EXPECT_EQ(got->signals[0].distance, 4);
  EXPECT_EQ(got->hashes.sha256, want.hashes.sha256);
  EXPECT_EQ(got->hashes.pdq, want.hashes.pdq);
  ASSERT_EQ(got->text_matches.size(), 1u);
  EXPECT_EQ(got->text_matches[0].begin, 6u);
  EXPECT_EQ(got->text_matches[0].end, 11u);
  EXPECT_EQ(got->media_type, "image/jpeg");
  // Reportable: 365 days from the incident.
  EXPECT_EQ(got->retain_until_ms, kSampleTimeMs + 365 * kDayMs);

  EXPECT_EQ(store->Get(id + 100).error().code, ErrorCode::kNotFound);
}

TEST(IncidentStoreTest, RefusesAllowAndEvidenceWithoutKey) {
  ScratchDir dir;
  ManualClock clock(kSampleTimeMs);
  auto store = OpenStore(dir.path(), clock);
  EXPECT_FALSE(store->Create(SampleIncident(policy::Action::kAllow)).ok());
  Evidence content;
  content.text = "placeholder text";
  auto r = store->Create(SampleIncident(), &content);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("key"), std::string::npos);
}

TEST(IncidentStoreTest, ListFiltersAndPages) {
  ScratchDir dir;
  ManualClock clock(kSampleTimeMs);
  auto store = OpenStore(dir.path(), clock);
  for (int i = 0; i < 7; ++i) {
    auto n = i % 2 == 0 ? SampleIncident()
                        : SampleIncident(policy::Action::kBlock, {"violence"});
    ASSERT_TRUE(store->Create(n).ok());
  }
  ASSERT_TRUE(store->Decide(1, Decision::kConfirm, "checked", "rev").ok());

  ListFilter all;
  all.limit = 3;
  auto p1 = store->List(all);
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->incidents.size(), 3u);
  EXPECT_EQ(p1->incidents[0].id, 1);
  ASSERT_TRUE(p1->next_after_id.has_value());
  all.after_id = *p1->next_after_id;
  auto p2 = store->List(all);
  ASSERT_EQ(p2->incidents.size(), 3u);
  EXPECT_EQ(p2->incidents[0].id, 4);
  all.after_id = *p2->next_after_id;
  auto p3 = store->List(all);
  ASSERT_EQ(p3->incidents.size(), 1u);
  EXPECT_FALSE(p3->next_after_id.has_value());

  ListFilter minors;
  minors.category = "sexual/minors";
  auto m = store->List(minors);
  ASSERT_EQ(m->incidents.size(), 4u);  // ids 1, 3, 5, 7
  minors.state = State::kOpen;
  m = store->List(minors);
  ASSERT_EQ(m->incidents.size(), 3u);
  EXPECT_EQ(m->incidents[0].id, 3);

  ListFilter confirmed;
  confirmed.state = State::kConfirmed;
  auto c = store->List(confirmed);
  ASSERT_EQ(c->incidents.size(), 1u);
  ASSERT_EQ(c->incidents[0].decisions.size(), 1u);
  EXPECT_EQ(c->incidents[0].decisions[0].actor, "rev");

  ListFilter bad;
  bad.limit = 501;
  EXPECT_EQ(store->List(bad).error().code, ErrorCode::kInvalidArgument);
  bad.limit = 0;
  EXPECT_FALSE(store->List(bad).ok());
}

TEST(IncidentStoreTest, DecisionTransitions) {
  ScratchDir dir;
  ManualClock clock(kSampleTimeMs + 1000);
  auto store = OpenStore(dir.path(), clock);
  const int64_t a = store->Create(SampleIncident())->id;
  const int64_t b = store->Create(SampleIncident())->id;

  // Actor and note are required.
  EXPECT_FALSE(store->Decide(a, Decision::kConfirm, "note", "").ok());
  EXPECT_FALSE(store->Decide(a, Decision::kConfirm, "", "rev").ok());
  EXPECT_EQ(store->Decide(999, Decision::kConfirm, "n", "rev").error().code,
            ErrorCode::kNotFound);

  auto done = store->Decide(a, Decision::kFalsePositive, "benign", "rev-1");
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_EQ(done->state, State::kFalsePositive);
  EXPECT_EQ(done->decisions.back().time_ms, kSampleTimeMs + 1000);
  // A decided incident is not decided again; the error names the decision.
  auto again = store->Decide(a, Decision::kConfirm, "changed mind", "rev-2");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("false_positive"), std::string::npos);
  EXPECT_NE(again.error().message.find("rev-1"), std::string::npos);
  EXPECT_FALSE(store->Decide(a, Decision::kEscalate, "x", "rev-2").ok());

  // Escalated: can be confirmed, not escalated twice.
  ASSERT_TRUE(store->Decide(b, Decision::kEscalate, "unsure", "rev-1").ok());
  EXPECT_FALSE(store->Decide(b, Decision::kEscalate, "still", "rev-2").ok());
  auto confirmed = store->Decide(b, Decision::kConfirm, "yes", "lead");
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->state, State::kConfirmed);
  ASSERT_EQ(store->Get(b)->decisions.size(), 2u);
  EXPECT_EQ(store->Get(b)->decisions[0].decision, Decision::kEscalate);
  EXPECT_FALSE(store->Decide(b, Decision::kFalsePositive, "n", "x").ok());
}

TEST(IncidentStoreTest, RetentionFollowsDecisionsAndPurgeRemovesExpired) {
  ScratchDir dir;
  ManualClock clock(kSampleTimeMs);
  StoreOptions options;
  options.retention.other_days = 30;
  auto store = OpenStore(dir.path(), clock, options);
  // A reportable incident, a block, and a review that a person confirms
  // as sexual/minors (which makes it reportable).
  const int64_t reportable = store->Create(SampleIncident())->id;
  const int64_t block =
      store->Create(SampleIncident(policy::Action::kBlock, {"violence"}))->id;
  const int64_t review =
      store->Create(SampleIncident(policy::Action::kReview))->id;
  EXPECT_EQ(store->Get(review)->retain_until_ms, kSampleTimeMs + 30 * kDayMs);
  ASSERT_TRUE(store->Decide(review, Decision::kConfirm, "ok", "rev").ok());
  EXPECT_EQ(store->Get(review)->retain_until_ms, kSampleTimeMs + 365 * kDayMs);

  clock.Set(kSampleTimeMs + 30 * kDayMs - 1);
  auto none = store->Purge(clock.NowMs());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  clock.Set(kSampleTimeMs + 30 * kDayMs);
  auto first = store->Purge(clock.NowMs());
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, block);
  EXPECT_EQ(store->Get(block).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store->Get(reportable).ok());

  clock.Advance(400 * kDayMs);
  auto rest = store->Purge(clock.NowMs());
  ASSERT_EQ(rest->size(), 2u);
  ListFilter all;
  EXPECT_TRUE(store->List(all)->incidents.empty());
  // Ids are never reused after a purge: audit records name them.
  EXPECT_GT(store->Create(SampleIncident())->id, review);
}

TEST(IncidentStoreTest, FromCheckReadsFindingsAndHashes) {
  detect::Item item;
  item.account = "acct-9";
  item.direction = detect::Direction::kInput;
  item.text = "lorem ipsum placeholder";
  policy::CheckResult check;
  EXPECT_FALSE(FromCheck(item, check, kSampleTimeMs).has_value());  // allow

  check.verdict.action = policy::Action::kBlock;
  check.verdict.categories = {"sexual/minors"};
  check.verdict.reasons = {"placeholder reason"};
  detect::DetectorReport hash_report;
  hash_report.detector = "hash";
  hash_report.hashes.emplace();
  hash_report.hashes->sha256 = std::string(64, 'f');
  detect::Finding match;
  match.detector = "hash";
  match.kind = "hash.match";
  match.category = "test";
  match.match.emplace();
  match.match->bank_name = "bank-a";
  match.match->entry_id = 5;
  match.match->type = hash::SignalType::kSha256;
  match.match->value = std::string(64, 'f');
  hash_report.findings.push_back(match);
  detect::DetectorReport text_report;
  text_report.detector = "text";
  detect::Finding rule;
  rule.detector = "text";
  rule.kind = "text.rule";
  rule.category = "placeholder_rule";
  rule.field = "text";
  rule.view = "text";
  rule.evidence.push_back(
      detect::TextEvidence{"placeholder", "lorem", "lorem", {0, 5}});
  text_report.findings.push_back(rule);
  check.reports = {hash_report, text_report};

  auto n = FromCheck(item, check, kSampleTimeMs, "key-1");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->account, "acct-9");
  EXPECT_EQ(n->api_key_id, "key-1");
  EXPECT_EQ(n->action, policy::Action::kBlock);
  EXPECT_EQ(n->hashes.sha256, std::string(64, 'f'));
  EXPECT_EQ(n->hashes.text_sha256.size(), 64u);
  EXPECT_TRUE(n->hashes.prompt_sha256.empty());
  ASSERT_EQ(n->signals.size(), 2u);
  EXPECT_EQ(n->signals[0].bank_name, "bank-a");
  EXPECT_EQ(n->signals[0].signal_type, "sha256");
  ASSERT_EQ(n->text_matches.size(), 1u);
  EXPECT_EQ(n->text_matches[0].rule, "placeholder_rule");
  EXPECT_EQ(n->text_matches[0].end, 5u);
}

}  // namespace
}  // namespace bulwark::incident

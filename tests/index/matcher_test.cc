// The Matcher over a real SqliteStore: bank metadata in results, per-bank
// thresholds, dihedral variants, changes visible without a rebuild, the
// background rebuild, and consistent snapshots under concurrent writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>
#include <tuple>

#include "bulwark/bank/sqlite_store.h"
#include "bulwark/index/matcher.h"
#include "bulwark/index/pdq_index.h"

namespace bulwark::index {
namespace {

hash::PdqHash RandomPdq(std::mt19937_64& rng) {
  std::string hex;
  for (int i = 0; i < 4; ++i) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(rng()));
    hex += buf;
  }
  return *hash::PdqHash::FromHex(hex);
}

hash::PdqHash FlipBits(hash::PdqHash h, int n) {
  std::string hex = h.ToHex();
  for (int i = 0; i < n; ++i) {
    // Flip the lowest bit of hex digit i: one bit each.
    int v = std::stoi(std::string(1, hex[i]), nullptr, 16) ^ 1;
    hex[i] = "0123456789abcdef"[v];
  }
  return *hash::PdqHash::FromHex(hex);
}

bank::NewEntry PdqEntry(const hash::PdqHash& h, const std::string& label = "") {
  bank::NewEntry e;
  e.signal = hash::Signal::FromPdq(h);
  e.label = label;
  return e;
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/bulwark_matcher_" +
           std::to_string(getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    auto s = bank::SqliteStore::Open(dir_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  bank::BankInfo Bank(const std::string& name, int threshold = 31) {
    bank::BankInfo info;
    info.name = name;
    info.category = "test";
    info.threshold = threshold;
    auto b = store_->CreateBank(info);
    EXPECT_TRUE(b.ok()) << b.error().ToString();
    return *b;
  }

  std::string dir_;
  std::unique_ptr<bank::SqliteStore> store_;
};

TEST_F(MatcherTest, DigestAndPdqMatchesCarryBankAndEntry) {
  std::mt19937_64 rng(1);
  const bank::BankInfo a = Bank("bank-a", 31), b = Bank("bank-b", 8);
  const hash::PdqHash h = RandomPdq(rng);
  bank::NewEntry md5;
  md5.signal =
      *hash::Signal::Parse(hash::SignalType::kMd5, std::string(32, 'a'));
  md5.source_id = "src-1";
  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(h, "lbl"), md5}).ok());
  ASSERT_TRUE(store_->AddEntries(b.id, {PdqEntry(h)}).ok());

  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  auto snap = (*m)->snapshot();
  EXPECT_EQ(snap->entry_count(), 3u);

  auto digest = snap->MatchDigest(md5.signal);
  ASSERT_EQ(digest.size(), 1u);
  EXPECT_EQ(digest[0].bank_name, "bank-a");
  EXPECT_EQ(digest[0].source_id, "src-1");
  EXPECT_EQ(digest[0].distance, 0);
  EXPECT_TRUE(snap->MatchDigest(*hash::Signal::Parse(hash::SignalType::kMd5,
                                                     std::string(32, 'b')))
                  .empty());

  // 20 bits away: within bank-a's 31, outside bank-b's 8.
  const hash::PdqHash near = FlipBits(h, 20);
  auto pdq = snap->MatchPdq({&near, 1});
  ASSERT_EQ(pdq.size(), 1u);
  EXPECT_EQ(pdq[0].bank_name, "bank-a");
  EXPECT_EQ(pdq[0].distance, 20);
  EXPECT_EQ(pdq[0].label, "lbl");
  EXPECT_EQ(pdq[0].value, h.ToHex());
  // An explicit threshold applies to every bank.
  EXPECT_EQ(snap->MatchPdq({&near, 1}, 25).size(), 2u);
  EXPECT_EQ(snap->MatchPdq({&near, 1}, 19).size(), 0u);
  // Exactly at the threshold matches; one past does not.
  EXPECT_EQ(snap->MatchPdq({&near, 1}, 20).size(), 2u);
}

TEST_F(MatcherTest, SkipsPdqEntriesTheListMarksLowQuality) {
  std::mt19937_64 rng(6);
  const bank::BankInfo a = Bank("quality");
  const hash::PdqHash low = RandomPdq(rng), good = RandomPdq(rng),
                      unknown = RandomPdq(rng);
  bank::NewEntry e_low = PdqEntry(low), e_good = PdqEntry(good);
  e_low.quality = 49;
  e_good.quality = 50;
  ASSERT_TRUE(
      store_->AddEntries(a.id, {e_low, e_good, PdqEntry(unknown)}).ok());
  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok());
  auto snap = (*m)->snapshot();
  EXPECT_TRUE(snap->MatchPdq({&low, 1}).empty());
  EXPECT_EQ(snap->MatchPdq({&good, 1}).size(), 1u);
  EXPECT_EQ(snap->MatchPdq({&unknown, 1}).size(), 1u);  // no quality given
  EXPECT_EQ(snap->entry_count(), 2u);
}

TEST_F(MatcherTest, ReportsWhichDihedralVariantMatched) {
  std::mt19937_64 rng(2);
  const bank::BankInfo a = Bank("dih");
  const hash::PdqHash stored = RandomPdq(rng);
  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(stored)}).ok());
  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok());
  std::vector<hash::PdqHash> variants;
  for (int v = 0; v < 8; ++v) variants.push_back(RandomPdq(rng));
  variants[5] = FlipBits(stored, 3);
  auto hits = (*m)->snapshot()->MatchPdq(variants);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].variant, 5);
  EXPECT_EQ(hits[0].distance, 3);
}

// Above kScanMaxCodes the base is a MihIndex, which answers the variants
// as one interleaved batch. Still one Match per (entry, variant) within the
// entry's bank threshold: variants hitting the same entry, a variant given
// twice, and a code held by entries of two banks with different thresholds.
TEST_F(MatcherTest, DihedralGroupOnALargeBaseMatchesBruteForce) {
  std::mt19937_64 rng(3);
  const bank::BankInfo big = Bank("big", 31), tight = Bank("tight", 10);
  std::vector<hash::PdqHash> codes;
  std::vector<bank::NewEntry> entries;
  for (size_t i = 0; i < kScanMaxCodes + 1000; ++i) {
    codes.push_back(RandomPdq(rng));
    entries.push_back(PdqEntry(codes.back()));
  }
  ASSERT_TRUE(store_->AddEntries(big.id, entries).ok());
  entries.resize(10);
  ASSERT_TRUE(store_->AddEntries(tight.id, entries).ok());
  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok()) << m.error().ToString();

  const std::vector<hash::PdqHash> variants = {FlipBits(codes[0], 5),
                                               FlipBits(codes[0], 20),
                                               codes[1],
                                               codes[1],
                                               RandomPdq(rng),
                                               FlipBits(codes[0], 12),
                                               FlipBits(codes[2], 31),
                                               FlipBits(codes[500], 32)};
  using Key = std::tuple<std::string, std::string, int, int>;
  std::vector<Key> want;
  for (size_t v = 0; v < variants.size(); ++v) {
    for (size_t i = 0; i < codes.size(); ++i) {
      const int d = codes[i].Distance(variants[v]);
      if (d <= 31) want.emplace_back("big", codes[i].ToHex(), v, d);
      if (i < 10 && d <= 10) want.emplace_back("tight", codes[i].ToHex(), v, d);
    }
  }
  std::vector<Key> got;
  for (const Match& h : (*m)->snapshot()->MatchPdq(variants)) {
    got.emplace_back(h.bank_name, h.value, h.variant, h.distance);
  }
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
  EXPECT_GE(want.size(), 9u);
}

TEST_F(MatcherTest, ChangesAndDisabledBanksAreVisibleAfterRefresh) {
  std::mt19937_64 rng(3);
  bank::BankInfo a = Bank("changes");
  const hash::PdqHash first = RandomPdq(rng), second = RandomPdq(rng);
  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(first)}).ok());
  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE((*m)->snapshot()->MatchPdq({&second, 1}).empty());

  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(second)}).ok());
  auto before = (*m)->snapshot();
  ASSERT_TRUE((*m)->Refresh().ok());
  EXPECT_EQ((*m)->snapshot()->MatchPdq({&second, 1}).size(), 1u);
  EXPECT_TRUE(
      before->MatchPdq({&second, 1}).empty());  // old snapshot unchanged

  // Disable the first entry: gone after refresh; enable: back.
  const int64_t id = (*m)->snapshot()->MatchPdq({&first, 1})[0].entry_id;
  ASSERT_TRUE(store_->DisableEntry(id, "retracted by list").ok());
  ASSERT_TRUE((*m)->Refresh().ok());
  EXPECT_TRUE((*m)->snapshot()->MatchPdq({&first, 1}).empty());
  EXPECT_EQ((*m)->snapshot()->entry_count(), 1u);
  ASSERT_TRUE(store_->EnableEntry(id).ok());
  ASSERT_TRUE((*m)->Refresh().ok());
  EXPECT_EQ((*m)->snapshot()->MatchPdq({&first, 1}).size(), 1u);

  // A disabled bank takes no part.
  a.enabled = false;
  ASSERT_TRUE(store_->UpdateBank(a).ok());
  ASSERT_TRUE((*m)->Refresh().ok());
  EXPECT_TRUE((*m)->snapshot()->MatchPdq({&first, 1}).empty());
}

// The service's setting: refresh every 200 ms, so an added or disabled
// entry is served within one second, without any rebuild.
TEST_F(MatcherTest, AutoRefreshShowsChangesWithinOneSecond) {
  std::mt19937_64 rng(7);
  const bank::BankInfo a = Bank("live");
  const hash::PdqHash h = RandomPdq(rng);
  auto m = Matcher::Create(*store_);
  ASSERT_TRUE(m.ok());
  (*m)->StartAutoRefresh(std::chrono::milliseconds(200));
  auto wait_for = [&](size_t want) {
    const auto start = std::chrono::steady_clock::now();
    while ((*m)->snapshot()->MatchPdq({&h, 1}, 0).size() != want &&
           std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::chrono::steady_clock::now() - start;
  };
  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(h)}).ok());
  EXPECT_LT(wait_for(1), std::chrono::seconds(1));
  const int64_t id = (*m)->snapshot()->MatchPdq({&h, 1}, 0).at(0).entry_id;
  ASSERT_TRUE(store_->DisableEntry(id, "retracted").ok());
  EXPECT_LT(wait_for(0), std::chrono::seconds(1));
}

TEST_F(MatcherTest, BackgroundRebuildKeepsResults) {
  std::mt19937_64 rng(4);
  const bank::BankInfo a = Bank("rebuild");
  std::vector<hash::PdqHash> codes;
  for (int i = 0; i < 50; ++i) codes.push_back(RandomPdq(rng));
  ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(codes[0])}).ok());
  auto m = Matcher::Create(*store_, MatcherOptions{/*max_delta=*/5});
  ASSERT_TRUE(m.ok());
  for (int i = 1; i < 50; ++i) {
    ASSERT_TRUE(store_->AddEntries(a.id, {PdqEntry(codes[i])}).ok());
    ASSERT_TRUE((*m)->Refresh().ok());
    // Whatever state the background rebuild is in, every code added so far
    // is found exactly once.
    auto snap = (*m)->snapshot();
    for (int k = 0; k <= i; ++k) {
      ASSERT_EQ(snap->MatchPdq({&codes[k], 1}, 0).size(), 1u) << i << " " << k;
    }
  }
}

TEST_F(MatcherTest, SnapshotsNeverShowHalfAnImport) {
  std::mt19937_64 rng(5);
  const bank::BankInfo a = Bank("consistency");
  constexpr int kBatches = 40, kPerBatch = 20;
  std::vector<std::vector<hash::PdqHash>> batches(kBatches);
  for (auto& b : batches)
    for (int i = 0; i < kPerBatch; ++i) b.push_back(RandomPdq(rng));
  auto m = Matcher::Create(*store_, MatcherOptions{/*max_delta=*/100});
  ASSERT_TRUE(m.ok());
  (*m)->StartAutoRefresh(std::chrono::milliseconds(5));

  std::atomic<bool> done{false};
  std::atomic<int> checks{0}, violations{0};
  std::thread reader([&] {
    while (!done) {
      auto snap = (*m)->snapshot();
      for (const auto& batch : batches) {
        size_t found = 0;
        for (const auto& h : batch) found += snap->MatchPdq({&h, 1}, 0).size();
        if (found != 0 && found != batch.size()) ++violations;
      }
      ++checks;
    }
  });
  for (const auto& batch : batches) {
    std::vector<bank::NewEntry> entries;
    for (const auto& h : batch) entries.push_back(PdqEntry(h));
    ASSERT_TRUE(store_->AddEntries(a.id, entries).ok());
  }
  // Every batch becomes visible (the refresher runs every 5 ms).
  for (int tries = 0; tries < 1000; ++tries) {
    if ((*m)->snapshot()->entry_count() == kBatches * kPerBatch) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  reader.join();
  EXPECT_EQ((*m)->snapshot()->entry_count(),
            static_cast<size_t>(kBatches * kPerBatch));
  EXPECT_GT(checks.load(), 0);
  EXPECT_EQ(violations.load(), 0);
  EXPECT_FALSE((*m)->last_refresh_error().has_value());
}

}  // namespace
}  // namespace bulwark::index

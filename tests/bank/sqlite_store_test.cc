#include "bulwark/bank/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <random>
#include <thread>

#include "support/bank_test_util.h"

namespace bulwark::bank {
namespace {

using hash::Signal;
using hash::SignalType;
using testing::BankTempDir;
using testing::RandomHex;

std::unique_ptr<SqliteStore> OpenStore(const std::string& dir) {
  auto s = SqliteStore::Open(dir);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return std::move(*s);
}

BankInfo MakeBank(SqliteStore& store, const std::string& name) {
  BankInfo info;
  info.name = name;
  info.description = "synthetic test bank";
  info.category = "test";
  auto b = store.CreateBank(info);
  EXPECT_TRUE(b.ok()) << b.error().ToString();
  return *b;
}

NewEntry Hash(SignalType type, const std::string& hex) {
  auto s = Signal::Parse(type, hex);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  NewEntry e;
  e.signal = *s;
  return e;
}

std::vector<NewEntry> RandomEntries(uint64_t seed, int n, SignalType type) {
  std::mt19937_64 rng(seed);
  const int digits = type == SignalType::kMd5    ? 32
                     : type == SignalType::kSha1 ? 40
                                                 : 64;
  std::vector<NewEntry> out;
  for (int i = 0; i < n; ++i) out.push_back(Hash(type, RandomHex(rng, digits)));
  return out;
}

// A bank's entries by "type:hex".
std::map<std::string, Entry> EntriesByValue(SqliteStore& store,
                                            int64_t bank_id) {
  std::map<std::string, Entry> out;
  auto s = store.ForEachEntry(
      bank_id, [&](const Entry& e) { out[e.signal.ToTyped()] = e; });
  EXPECT_TRUE(s.ok());
  return out;
}

std::vector<Entry> AllEntries(SqliteStore& store, int64_t bank_id) {
  std::vector<Entry> out;
  auto s =
      store.ForEachEntry(bank_id, [&](const Entry& e) { out.push_back(e); });
  EXPECT_TRUE(s.ok());
  return out;
}

TEST(SqliteStore, CreatesDataDirAndBankRoundTrips) {
  BankTempDir tmp;
  const std::string dir = tmp.path() + "/nested/data";
  auto store = OpenStore(dir);
  EXPECT_EQ(store->path(), dir + "/bulwark.db");

  BankInfo info;
  info.name = "test-bank_1";
  info.description = "d";
  info.category = "test";
  auto created = store->CreateBank(info);
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->threshold, 31);
  EXPECT_TRUE(created->enabled);
  EXPECT_GT(created->created_at, 0);

  auto dup = store->CreateBank(info);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("already exists"), std::string::npos);
  info.name = "bad name";
  EXPECT_FALSE(store->CreateBank(info).ok());

  auto got = store->GetBank("test-bank_1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, created->id);
  EXPECT_EQ(got->description, "d");
  EXPECT_EQ(store->GetBank("nope").error().code, ErrorCode::kNotFound);

  BankInfo changed = *got;
  changed.enabled = false;
  changed.threshold = 12;
  changed.name = "renamed";
  ASSERT_TRUE(store->UpdateBank(changed).ok());
  changed.threshold = 129;
  EXPECT_FALSE(store->UpdateBank(changed).ok());
  MakeBank(*store, "another");
  auto list = store->ListBanks();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "another");
  EXPECT_EQ((*list)[1].name, "renamed");
  EXPECT_FALSE((*list)[1].enabled);
  EXPECT_EQ((*list)[1].threshold, 12);

  // Reopening sees the same data.
  store.reset();
  store = OpenStore(dir);
  EXPECT_TRUE(store->GetBank("renamed").ok());
  ASSERT_TRUE(store->DeleteBank("renamed").ok());
  EXPECT_EQ(store->DeleteBank("renamed").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->ListBanks()->size(), 1u);
}

TEST(SqliteStore, AddsAndReadsEntriesExactly) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo bank = MakeBank(*store, "b");
  std::mt19937_64 rng(1);
  const std::string pdq = RandomHex(rng, 64);
  NewEntry e = Hash(SignalType::kPdq, pdq);
  e.label = "benign-test-label \xC3\xA9";
  e.source_id = "src-1";
  e.quality = 87;
  std::vector<NewEntry> entries = {e,
                                   Hash(SignalType::kMd5, RandomHex(rng, 32)),
                                   Hash(SignalType::kSha1, RandomHex(rng, 40)),
                                   Hash(SignalType::kSha256, pdq)};
  auto stats = store->AddEntries(bank.id, entries);
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->added, 4);
  EXPECT_EQ(stats->unchanged, 0);

  auto by_value = EntriesByValue(*store, bank.id);
  ASSERT_EQ(by_value.size(), 4u);
  ASSERT_TRUE(by_value.count("pdq:" + pdq));  // exact round trip
  const Entry& p = by_value["pdq:" + pdq];
  EXPECT_EQ(p.label, e.label);
  EXPECT_EQ(p.source_id, "src-1");
  EXPECT_EQ(p.quality, 87);
  EXPECT_EQ(p.bank_id, bank.id);
  EXPECT_FALSE(p.disabled);
  EXPECT_GT(p.added_at, 0);
  EXPECT_TRUE(by_value.count("sha256:" + pdq));  // same hex, other type
  EXPECT_FALSE(by_value["sha256:" + pdq].quality.has_value());
  auto all = AllEntries(*store, bank.id);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_GT(all[i].id, all[i - 1].id);
    EXPECT_GT(all[i].seq, all[i - 1].seq);
  }
  auto one = store->GetEntry(all[2].id);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->signal, all[2].signal);
  EXPECT_EQ(store->GetEntry(999999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->AddEntries(424242, entries).error().code,
            ErrorCode::kNotFound);
}

TEST(SqliteStore, ReimportIsUnchangedAndSameValueMaySitInTwoBanks) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo a = MakeBank(*store, "a");
  BankInfo b = MakeBank(*store, "b");
  auto entries = RandomEntries(2, 50, SignalType::kSha256);
  entries.push_back(entries[0]);  // a duplicate within one import
  auto first = store->AddEntries(a.id, entries);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->added, 50);
  EXPECT_EQ(first->unchanged, 1);
  auto again = store->AddEntries(a.id, entries);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->unchanged, 51);
  EXPECT_FALSE(again->changed());
  auto other = store->AddEntries(b.id, entries);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->added, 50);
  EXPECT_EQ(*store->CountEntries(a.id, true), 50);
  EXPECT_EQ(*store->CountEntries(b.id, true), 50);
}

TEST(SqliteStore, TombstonesSurviveReimportAndCanBeReenabled) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo bank = MakeBank(*store, "b");
  auto entries = RandomEntries(3, 10, SignalType::kMd5);
  ASSERT_TRUE(store->AddEntries(bank.id, entries).ok());
  auto all = AllEntries(*store, bank.id);
  ASSERT_TRUE(store->DisableEntry(all[4].id, "false positive").ok());
  auto e = store->GetEntry(all[4].id);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->disabled);
  EXPECT_EQ(e->disabled_reason, "false positive");
  EXPECT_GT(e->disabled_at, 0);
  EXPECT_GT(e->seq, all.back().seq);
  // Disabling again changes nothing.
  ASSERT_TRUE(store->DisableEntry(all[4].id, "other").ok());
  EXPECT_EQ(store->GetEntry(all[4].id)->seq, e->seq);
  EXPECT_EQ(store->GetEntry(all[4].id)->disabled_reason, "false positive");

  auto again = store->AddEntries(bank.id, entries);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->skipped_tombstoned, 1);
  EXPECT_EQ(again->unchanged, 9);
  EXPECT_TRUE(store->GetEntry(all[4].id)->disabled);
  EXPECT_EQ(*store->CountEntries(bank.id, false), 9);
  EXPECT_EQ(*store->CountEntries(bank.id, true), 10);

  ASSERT_TRUE(store->EnableEntry(all[4].id).ok());
  auto enabled = store->GetEntry(all[4].id);
  EXPECT_FALSE(enabled->disabled);
  EXPECT_EQ(enabled->disabled_reason, "");
  EXPECT_GT(enabled->seq, e->seq);
  EXPECT_EQ(store->DisableEntry(77777, "x").error().code, ErrorCode::kNotFound);
}

TEST(SqliteStore, RetractionsInAnImportBecomeTombstones) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo bank = MakeBank(*store, "b");
  auto entries = RandomEntries(4, 3, SignalType::kSha1);
  entries[0].source_id = "id-0";
  entries[1].source_id = "id-1";
  ASSERT_TRUE(store->AddEntries(bank.id, entries).ok());

  std::vector<NewEntry> retract = {entries[2]};
  retract[0].retracted_reason = "retracted by list";
  NewEntry unknown = RandomEntries(5, 1, SignalType::kSha1)[0];
  unknown.retracted_reason = "retracted before we saw it";
  retract.push_back(unknown);
  auto stats = store->AddEntries(
      bank.id, retract,
      {{"id-0", "deleted upstream"}, {"no-such-id", "deleted upstream"}});
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->tombstoned, 3);  // entries[2], unknown, id-0
  EXPECT_EQ(stats->unmatched_retractions, 1);
  auto all = EntriesByValue(*store, bank.id);
  ASSERT_EQ(all.size(), 4u);
  auto get = [&](const NewEntry& n) { return all[n.signal.ToTyped()]; };
  EXPECT_TRUE(get(entries[0]).disabled);
  EXPECT_EQ(get(entries[0]).disabled_reason, "deleted upstream");
  EXPECT_FALSE(get(entries[1]).disabled);
  EXPECT_TRUE(get(entries[2]).disabled);
  EXPECT_EQ(get(entries[2]).disabled_reason, "retracted by list");
  EXPECT_TRUE(get(unknown).disabled);
  EXPECT_EQ(get(unknown).disabled_reason, "retracted before we saw it");

  // A later import of the same values cannot bring them back.
  auto later = store->AddEntries(bank.id, entries);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->skipped_tombstoned, 2);
  EXPECT_EQ(*store->CountEntries(bank.id, false), 1);
  // Retracting again is a no-op.
  auto again = store->AddEntries(bank.id, retract, {{"id-0", "x"}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed());
}

TEST(SqliteStore, RejectsBadEntryTextWithoutWriting) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo bank = MakeBank(*store, "b");
  auto entries = RandomEntries(6, 5, SignalType::kMd5);
  entries[3].label = "bad \xFF utf8";  // the 4th entry
  auto r = store->AddEntries(bank.id, entries);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("entry 4"), std::string::npos);
  EXPECT_EQ(*store->CountEntries(bank.id, true), 0);
}

TEST(SqliteStore, ForEachChangeDeliversDeltasInSeqOrder) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo a = MakeBank(*store, "a");
  BankInfo b = MakeBank(*store, "b");
  std::vector<Entry> seen;
  auto collect = [&](const Entry& e) { seen.push_back(e); };
  auto last = store->ForEachChange(0, collect);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 0);
  EXPECT_TRUE(seen.empty());

  ASSERT_TRUE(
      store->AddEntries(a.id, RandomEntries(7, 5, SignalType::kPdq)).ok());
  ASSERT_TRUE(
      store->AddEntries(b.id, RandomEntries(8, 3, SignalType::kMd5)).ok());
  last = store->ForEachChange(0, collect);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(seen.size(), 8u);
  for (size_t i = 1; i < seen.size(); ++i)
    EXPECT_GT(seen[i].seq, seen[i - 1].seq);
  EXPECT_EQ(*last, seen.back().seq);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].bank_id, i < 5 ? a.id : b.id);  // commit order
  }

  // Nothing new: nothing visited, same seq back.
  const int64_t mark = *last;
  seen.clear();
  EXPECT_EQ(*store->ForEachChange(mark, collect), mark);
  EXPECT_TRUE(seen.empty());

  // A re-import is not a change; a disable and an enable are.
  ASSERT_TRUE(
      store->AddEntries(b.id, RandomEntries(8, 3, SignalType::kMd5)).ok());
  EXPECT_EQ(*store->ForEachChange(mark, collect), mark);
  auto all_a = AllEntries(*store, a.id);
  ASSERT_TRUE(store->DisableEntry(all_a[1].id, "r").ok());
  ASSERT_TRUE(store->DisableEntry(all_a[3].id, "r").ok());
  ASSERT_TRUE(store->EnableEntry(all_a[1].id).ok());
  last = store->ForEachChange(mark, collect);
  ASSERT_EQ(seen.size(), 2u);  // latest state of each changed entry
  EXPECT_EQ(seen[0].id, all_a[3].id);
  EXPECT_TRUE(seen[0].disabled);
  EXPECT_EQ(seen[1].id, all_a[1].id);
  EXPECT_FALSE(seen[1].disabled);
  EXPECT_EQ(*last, mark + 3);  // three changes, three seqs

  // Seqs are never reused after a bank is deleted.
  ASSERT_TRUE(store->DeleteBank("a").ok());
  ASSERT_TRUE(
      store->AddEntries(b.id, RandomEntries(9, 1, SignalType::kMd5)).ok());
  seen.clear();
  EXPECT_EQ(*store->ForEachChange(*last, collect), *last + 1);
  ASSERT_EQ(seen.size(), 1u);
}

TEST(SqliteStore, RefusesANewerSchema) {
  BankTempDir tmp;
  { auto store = OpenStore(tmp.path()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((tmp.path() + "/bulwark.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto r = SqliteStore::Open(tmp.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("schema version 99"), std::string::npos);
  EXPECT_NE(r.error().message.find("newer"), std::string::npos);
}

TEST(SqliteStore, IsInWalModeAndPassesIntegrityCheck) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo bank = MakeBank(*store, "b");
  ASSERT_TRUE(
      store->AddEntries(bank.id, RandomEntries(10, 100, SignalType::kPdq))
          .ok());
  EXPECT_TRUE(store->CheckIntegrity().ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((tmp.path() + "/bulwark.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
               "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(SqliteStore, ConcurrentImportsWhileAReaderFollowsChanges) {
  BankTempDir tmp;
  auto store = OpenStore(tmp.path());
  BankInfo a = MakeBank(*store, "a");
  BankInfo b = MakeBank(*store, "b");
  constexpr int kBatches = 20, kPerBatch = 500;
  auto importer = [&](int64_t bank_id, uint64_t seed) {
    for (int i = 0; i < kBatches; ++i) {
      auto r = store->AddEntries(
          bank_id,
          RandomEntries(seed * 1000 + i, kPerBatch, SignalType::kSha256));
      ASSERT_TRUE(r.ok()) << r.error().ToString();
      ASSERT_EQ(r->added, kPerBatch);
    }
  };
  std::atomic<bool> done{false};
  int64_t total_seen = 0;
  bool ordered = true;
  std::thread reader([&] {
    int64_t after = 0;
    for (;;) {
      const bool finished = done.load();
      auto last = store->ForEachChange(after, [&](const Entry& e) {
        if (e.seq <= after) ordered = false;
        after = e.seq;
        ++total_seen;
      });
      ASSERT_TRUE(last.ok());
      EXPECT_TRUE(store->ListBanks().ok());
      if (finished) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::thread t1(importer, a.id, 1);
  std::thread t2(importer, b.id, 2);
  t1.join();
  t2.join();
  done = true;
  reader.join();
  EXPECT_TRUE(ordered);
  EXPECT_EQ(total_seen, 2 * kBatches * kPerBatch);
  EXPECT_EQ(*store->CountEntries(a.id, true), kBatches * kPerBatch);
  EXPECT_EQ(*store->CountEntries(b.id, true), kBatches * kPerBatch);
}

}  // namespace
}  // namespace bulwark::bank

// An import killed with SIGKILL at a random moment leaves the bank as it
// was before the import or as it is after it, never in between.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "bulwark/bank/sqlite_store.h"
#include "support/bank_test_util.h"

namespace bulwark::bank {
namespace {

constexpr int kEntriesPerImport = 200000;

std::vector<NewEntry> Entries(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<NewEntry> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    NewEntry e;
    e.signal = *hash::Signal::Parse(hash::SignalType::kPdq,
                                    testing::RandomHex(rng, 64));
    char id[24];
    std::snprintf(id, sizeof id, "s%d", i);
    e.source_id = id;
    out.push_back(std::move(e));
  }
  return out;
}

// In the child: build the entries, tell the parent, import, exit.
[[noreturn]] void ChildImport(const std::string& dir, uint64_t seed,
                              int ready_fd) {
  auto entries = Entries(seed, kEntriesPerImport);
  auto store = SqliteStore::Open(dir);
  if (!store.ok()) _exit(2);
  auto bank = (*store)->GetBank("crash");
  if (!bank.ok()) _exit(3);
  const char byte = 'r';
  if (write(ready_fd, &byte, 1) != 1) _exit(4);
  auto r = (*store)->AddEntries(bank->id, entries);
  _exit(r.ok() ? 0 : 5);
}

TEST(SqliteStoreCrash, KilledImportIsAllOrNothing) {
  testing::BankTempDir tmp;
  int64_t bank_id = 0;
  {
    auto store = SqliteStore::Open(tmp.path());
    ASSERT_TRUE(store.ok());
    BankInfo info;
    info.name = "crash";
    auto bank = (*store)->CreateBank(info);
    ASSERT_TRUE(bank.ok());
    bank_id = bank->id;
    ASSERT_TRUE((*store)->AddEntries(bank_id, Entries(1, 1000)).ok());
  }  // no connection is open across fork()

  std::mt19937 rng(static_cast<unsigned>(getpid()));
  int64_t before = 1000;
  int64_t last_seq = 1000;
  int killed_mid_way = 0, completed = 0;
  // Round 0 is not killed: it times an import, so that later rounds can
  // kill anywhere from its start to past its commit (0..300 ms alone would
  // always hit a slow build before the commit).
  int max_delay_ms = 300;
  constexpr int kRounds = 7;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ChildImport(tmp.path(), 100 + round, fds[1]);
    }
    close(fds[1]);
    char byte = 0;
    ASSERT_EQ(read(fds[0], &byte, 1), 1) << "child failed before importing";
    close(fds[0]);
    const auto start = std::chrono::steady_clock::now();
    int delay_ms = -1;
    if (round > 0) {
      delay_ms = std::uniform_int_distribution<int>(0, max_delay_ms)(rng);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      kill(pid, SIGKILL);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (round == 0) {
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      max_delay_ms = std::max(300, static_cast<int>(took.count() * 13 / 10));
    }
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "child import failed";
    }

    auto store = SqliteStore::Open(tmp.path());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ASSERT_TRUE((*store)->CheckIntegrity().ok());
    auto count = (*store)->CountEntries(bank_id, true);
    ASSERT_TRUE(count.ok());
    const int64_t after = before + kEntriesPerImport;
    EXPECT_TRUE(*count == before || *count == after)
        << "round " << round << " after " << delay_ms << " ms: " << *count
        << " entries, expected " << before << " or " << after;
    // The change log agrees: one new seq per new entry, no gaps.
    int64_t changes = 0;
    auto last =
        (*store)->ForEachChange(last_seq, [&](const Entry&) { ++changes; });
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(changes, *count - before);
    EXPECT_EQ(*last, last_seq + changes);
    last_seq = *last;
    if (round == 0) {
      EXPECT_EQ(*count, after);
    } else if (*count == after) {
      WIFSIGNALED(status) ? ++killed_mid_way : ++completed;
    }
    before = *count;
  }
  // Report what the rounds covered (timing decides; both outcomes are fine).
  std::printf(
      "crash rounds: %d (kill within 0..%d ms), final entries %lld, "
      "committed (then killed late or exited) %d, exited %d\n",
      kRounds - 1, max_delay_ms, static_cast<long long>(before),
      killed_mid_way + completed, completed);
}

}  // namespace
}  // namespace bulwark::bank

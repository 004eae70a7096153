// Matcher: answers "is this hash in any enabled bank?" from a consistent,
// immutable snapshot of all enabled banks, while banks keep changing.
//
// A snapshot is a large base index, built from everything at one moment,
// plus a small delta of entries added or re-enabled since and a set of
// entries disabled since. Refresh() reads the store's change log (entries
// with a higher sequence number than last seen), and publishes a new
// snapshot that shares the base. When the delta grows large, a new base is
// built on a background thread while refreshes go on, and swapped in when
// ready. Readers take the current snapshot with an atomic load and never
// wait for a writer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/bank/store.h"
#include "bulwark/core/result.h"
#include "bulwark/hash/pdq_hash.h"
#include "bulwark/hash/signal.h"

namespace bulwark::index {

struct Match {
  int64_t bank_id = 0;
  std::string bank_name;
  std::string bank_category;  // the bank's category ("csam", "test", ...)
  int64_t entry_id = 0;
  std::string label;
  std::string source_id;
  hash::SignalType type = hash::SignalType::kPdq;
  std::string value;  // the bank entry's hex value
  int distance = 0;   // Hamming distance for PDQ, 0 for exact digests
  // For PDQ queries with dihedral variants: which variant matched
  // (index into hash::Dihedral order); 0 for the hash as given.
  int variant = 0;
};

class Snapshot;
struct SnapshotData;

struct MatcherOptions {
  // Rebuild the base index once the delta holds this many changed entries
  // (the delta is scanned linearly by every PDQ query).
  size_t max_delta = 20'000;
};

class Matcher {
 public:
  // Builds the first snapshot from `store` (which must outlive the
  // matcher).
  static Result<std::unique_ptr<Matcher>> Create(bank::Store& store,
                                                 MatcherOptions options = {});
  ~Matcher();

  // Applies every change made to the store since the last refresh and
  // publishes a new snapshot. Safe to call from any thread; concurrent
  // calls are serialised.
  Status Refresh();

  // Calls Refresh() every `interval` on a background thread until the
  // matcher is destroyed. Errors are kept for last_refresh_error().
  void StartAutoRefresh(std::chrono::milliseconds interval);
  std::optional<Error> last_refresh_error() const;

  std::shared_ptr<const Snapshot> snapshot() const {
    return current_.load(std::memory_order_acquire);
  }

 private:
  Matcher(bank::Store& store, MatcherOptions options);
  void Publish(std::shared_ptr<SnapshotData> data);
  void StartRebuild(std::shared_ptr<const SnapshotData> from);

  bank::Store& store_;
  MatcherOptions options_;
  std::mutex refresh_mu_;  // one writer at a time
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<bool> rebuilding_{false};
  std::thread rebuilder_;

  mutable std::mutex state_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::optional<Error> last_error_;
  std::thread refresher_;
};

class Snapshot {
 public:
  // Exact digest matches (md5, sha1, sha256) in enabled banks.
  std::vector<Match> MatchDigest(const hash::Signal& signal) const;

  // PDQ matches within each bank's threshold (entries whose list gives a
  // quality below 50 are never matched) (or `threshold` if set, 0..256)
  // of any of `variants` (the hash, or its 8 dihedral variants in
  // hash::Dihedral order). One Match per (entry, variant) pair that hits.
  std::vector<Match> MatchPdq(
      std::span<const hash::PdqHash> variants,
      std::optional<int> threshold = std::nullopt) const;

  int64_t seq() const;         // store change sequence this snapshot reflects
  size_t entry_count() const;  // enabled entries in enabled banks

 private:
  friend class Matcher;
  explicit Snapshot(std::shared_ptr<const SnapshotData> data);
  std::shared_ptr<const SnapshotData> data_;
};

}  // namespace bulwark::index

// Store: durable banks and entries. SqliteStore (sqlite_store.h) is the
// embedded implementation; a PostgreSQL one can follow behind the same
// interface.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/bank/bank.h"
#include "bulwark/core/result.h"

namespace bulwark::bank {

// One hash to add, as an importer or `bank add` produces it.
struct NewEntry {
  hash::Signal signal = hash::Signal::FromPdq({});
  std::string label;
  std::string source_id;
  std::optional<int> quality;
  // An entry the list itself marks as retracted (e.g. NCMEC deletedImage):
  // stored as a tombstone with this reason.
  std::optional<std::string> retracted_reason;
};

// A retraction that names only the list's own id for an entry, not its hash
// (NCMEC's deletedImage/deletedVideo): every active entry of the bank with
// that source id becomes a tombstone.
struct Retraction {
  std::string source_id;
  std::string reason;
};

struct ImportStats {
  int64_t added = 0;       // new active entries
  int64_t unchanged = 0;   // already present (same bank, type, value)
  int64_t tombstoned = 0;  // entries newly disabled, or inserted disabled,
                           // by retractions
  int64_t skipped_tombstoned = 0;     // present as tombstones: left disabled
  int64_t unmatched_retractions = 0;  // Retractions naming no active entry

  bool changed() const { return added + tombstoned > 0; }
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<BankInfo> CreateBank(const BankInfo& info) = 0;
  virtual Result<BankInfo> GetBank(const std::string& name) = 0;
  virtual Result<std::vector<BankInfo>> ListBanks() = 0;
  virtual Status UpdateBank(const BankInfo& info) = 0;  // by id
  // Removes the bank and all its entries (the only hard delete).
  virtual Status DeleteBank(const std::string& name) = 0;

  // Adds entries to a bank in ONE transaction: either all of them are
  // visible afterwards or none (also across a crash or kill -9). Values
  // already in the bank are left as they are (counted as unchanged; a
  // tombstone stays a tombstone), so importing the same list twice
  // changes nothing.
  // A NewEntry with retracted_reason becomes a tombstone (disabling the
  // entry already there, or inserted disabled). `retractions` apply after
  // `entries`, in the same transaction. Labels and source ids must be valid
  // UTF-8 without control characters, at most 1024 bytes (kInvalidArgument
  // otherwise, nothing written).
  virtual Result<ImportStats> AddEntries(
      int64_t bank_id, const std::vector<NewEntry>& entries,
      const std::vector<Retraction>& retractions) = 0;
  Result<ImportStats> AddEntries(int64_t bank_id,
                                 const std::vector<NewEntry>& entries) {
    return AddEntries(bank_id, entries, {});
  }

  virtual Result<Entry> GetEntry(int64_t entry_id) = 0;
  // Both are no-ops (no new seq) when the entry is already in that state;
  // kNotFound for an unknown id.
  virtual Status DisableEntry(int64_t entry_id, const std::string& reason) = 0;
  virtual Status EnableEntry(int64_t entry_id) = 0;

  // Every entry of a bank (tombstones included) in id order, to `visit`.
  virtual Status ForEachEntry(
      int64_t bank_id, const std::function<void(const Entry&)>& visit) = 0;

  // Entries changed (inserted, disabled, enabled) with seq > `after_seq`
  // in any bank, in seq order, for the matcher. Returns the highest seq seen
  // (== after_seq when nothing changed). Only the latest state of an entry
  // is visited (an entry inserted then disabled since after_seq is visited
  // once, disabled). Seqs are store-wide, strictly increasing and never
  // reused; a reader never sees a later seq without every earlier one.
  // Bank changes (enabled flag, threshold, deletion with all its entries)
  // are not entry changes: poll ListBanks beside this.
  virtual Result<int64_t> ForEachChange(
      int64_t after_seq, const std::function<void(const Entry&)>& visit) = 0;
};

}  // namespace bulwark::bank

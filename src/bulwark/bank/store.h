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

struct ImportStats {
  int64_t added = 0;       // new entries
  int64_t unchanged = 0;   // already present (same bank, type, value)
  int64_t tombstoned = 0;  // entries newly disabled by retractions
  int64_t skipped_tombstoned = 0;  // present as tombstones: left disabled
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
  virtual Result<ImportStats> AddEntries(int64_t bank_id,
                                         const std::vector<NewEntry>& entries) = 0;

  virtual Result<Entry> GetEntry(int64_t entry_id) = 0;
  virtual Status DisableEntry(int64_t entry_id, const std::string& reason) = 0;
  virtual Status EnableEntry(int64_t entry_id) = 0;

  // Every entry of a bank (tombstones included) in id order, to `visit`.
  virtual Status ForEachEntry(int64_t bank_id,
                              const std::function<void(const Entry&)>& visit) = 0;

  // Entries changed (inserted, disabled, enabled) with seq > `after_seq`
  // in any bank, in seq order, and the bank list, for the matcher. Returns
  // the highest seq seen (== after_seq when nothing changed).
  virtual Result<int64_t> ForEachChange(
      int64_t after_seq, const std::function<void(const Entry&)>& visit) = 0;
};

}  // namespace bulwark::bank

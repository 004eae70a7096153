// SqliteStore: the Store in one SQLite file, DATA_DIR/bulwark.db.
//
// Durability: WAL journal with synchronous=FULL. In WAL mode NORMAL is
// already atomic across a process crash (kill -9), but after a power loss
// it may drop the last commits. FULL fsyncs the WAL on every commit, so a
// retraction or import reported as done stays done. The cost is one fsync
// per transaction, and imports are one transaction each.
//
// Threads: every method may be called from any thread. Writes go through one
// connection behind a mutex (SQLite allows one writer at a time anyway);
// reads take a connection from a small pool, so the matcher's change polls
// and ListBanks never wait for a long import: under WAL a reader sees the
// last committed state while the writer works. Other processes may open the
// same file; they wait for the write lock for up to the busy timeout.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bulwark/bank/store.h"

namespace bulwark {
class SqliteConnection;  // core/sqlite_connection.h
}  // namespace bulwark

namespace bulwark::bank {

class SqliteStore final : public Store {
 public:
  // The schema version this code writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 1;
  // How long a write waits for another process's write transaction.
  static constexpr int kBusyTimeoutMs = 30000;

  // Opens or creates DATA_DIR/bulwark.db (creating DATA_DIR if missing) and
  // brings its schema up to date. A database written by a newer Bulwark is
  // kUnsupported, and never modified.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& data_dir);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  const std::string& path() const { return path_; }

  Result<BankInfo> CreateBank(const BankInfo& info) override;
  Result<BankInfo> GetBank(const std::string& name) override;
  Result<std::vector<BankInfo>> ListBanks() override;
  Status UpdateBank(const BankInfo& info) override;
  Status DeleteBank(const std::string& name) override;

  using Store::AddEntries;
  Result<ImportStats> AddEntries(
      int64_t bank_id, const std::vector<NewEntry>& entries,
      const std::vector<Retraction>& retractions) override;

  Result<Entry> GetEntry(int64_t entry_id) override;
  Status DisableEntry(int64_t entry_id, const std::string& reason) override;
  Status EnableEntry(int64_t entry_id) override;

  Status ForEachEntry(int64_t bank_id,
                      const std::function<void(const Entry&)>& visit) override;
  Result<int64_t> ForEachChange(
      int64_t after_seq,
      const std::function<void(const Entry&)>& visit) override;

  // Number of entries in a bank (tombstones included when asked).
  Result<int64_t> CountEntries(int64_t bank_id, bool include_disabled);
  // PRAGMA integrity_check: Ok, or kCorrupt with SQLite's findings.
  Status CheckIntegrity();

 private:
  explicit SqliteStore(std::string path);

  // A pooled read connection, returned to the pool when released.
  struct ReaderDeleter {
    SqliteStore* store;
    void operator()(SqliteConnection* c) const;
  };
  using Reader = std::unique_ptr<SqliteConnection, ReaderDeleter>;
  Result<Reader> AcquireReader();

  Status SetEntryState(int64_t entry_id, bool disabled,
                       const std::string& reason);

  const std::string path_;
  std::mutex write_mu_;  // guards writer_ and its statements
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex pool_mu_;  // guards idle_readers_
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
};

}  // namespace bulwark::bank

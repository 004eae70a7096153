// The append side of the audit log: every administrative, reviewer and
// enforcement action becomes one record in DATA_DIR/audit.db, chained to
// the one before it (record.h), with a signed checkpoint (checkpoint.h)
// every `checkpoint_every` records when a signing key is configured.
//
// Durability: WAL journal with synchronous=FULL, and each Append is its own
// transaction, committed (the WAL fsynced) before Append returns. A caller
// that appends before answering its request therefore never acknowledges
// an action whose record a crash or power loss could lose.
//
// Threads and processes: every method may be called from any thread (one
// connection behind a mutex; appends are serialised anyway because each
// needs the previous hash). Several processes may append to the same file:
// each Append reads the newest record under SQLite's write lock, so the
// chain stays one chain.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bulwark/audit/checkpoint.h"
#include "bulwark/audit/record.h"
#include "bulwark/audit/signing_key.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"

namespace bulwark {
class SqliteConnection;  // core/sqlite_connection.h
}  // namespace bulwark

namespace bulwark::audit {

struct AuditLogOptions {
  std::string data_dir;
  // PEM Ed25519 private key (`bulwark audit make-key`). Empty: no
  // checkpoints are written, and `bulwark audit verify` says the log is
  // protected by its chain alone.
  std::string signing_key_path;
  // A checkpoint after every this many records (when seq is a multiple of
  // it); 0 writes them only on WriteCheckpoint().
  int64_t checkpoint_every = 64;
};

class AuditLog {
 public:
  // Opens or creates DATA_DIR/audit.db (creating DATA_DIR if missing) and
  // loads the signing key. A database written by a newer Bulwark is
  // kUnsupported, and never modified. `clock` stamps the records and must
  // outlive the log.
  static Result<std::unique_ptr<AuditLog>> Open(const AuditLogOptions& options,
                                                const Clock& clock);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one record and commits it durably; returns it as stored (seq,
  // time, hashes filled in). Invalid records are refused (record.h,
  // Normalize) and nothing is written.
  Result<Record> Append(const NewRecord& record);

  // Signs a checkpoint of the newest record now, e.g. before an export or
  // at shutdown. nullopt when the log is empty or its newest record already
  // has one; kUnsupported without a signing key.
  Result<std::optional<Checkpoint>> WriteCheckpoint();

  bool signs_checkpoints() const { return key_.has_value(); }
  const std::string& path() const { return path_; }

 private:
  AuditLog(std::string path, std::optional<SigningKey> key,
           int64_t checkpoint_every, const Clock& clock);

  // The newest record's seq and hash (0 and the genesis hash when empty).
  Result<std::pair<int64_t, std::string>> Newest();
  Status InsertCheckpoint(const Checkpoint& c);

  const std::string path_;
  const std::optional<SigningKey> key_;
  const int64_t checkpoint_every_;
  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<SqliteConnection> db_;
};

}  // namespace bulwark::audit

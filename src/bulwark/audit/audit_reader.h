// The read side of the audit log, for verification and export: opens
// DATA_DIR/audit.db without creating or changing it, and reads records as
// they are stored (nothing is recomputed or trusted here; verify.h does
// that). Under WAL it reads the last committed state while a service keeps
// appending. One thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/audit/checkpoint.h"
#include "bulwark/audit/record.h"
#include "bulwark/core/result.h"

namespace bulwark {
class SqliteConnection;  // core/sqlite_connection.h
}  // namespace bulwark

namespace bulwark::audit {

class AuditReader {
 public:
  // kNotFound when DATA_DIR holds no audit log.
  static Result<std::unique_ptr<AuditReader>> Open(const std::string& data_dir);
  ~AuditReader();
  AuditReader(const AuditReader&) = delete;
  AuditReader& operator=(const AuditReader&) = delete;

  const std::string& path() const { return path_; }

  // Records with seq >= from_seq and time_ms >= from_ms, in seq order;
  // `visit` returns false to stop early.
  Status ForEachRecord(int64_t from_seq, int64_t from_ms,
                       const std::function<bool(const Record&)>& visit);
  Status ForEachRecord(const std::function<bool(const Record&)>& visit) {
    return ForEachRecord(std::numeric_limits<int64_t>::min(),
                         std::numeric_limits<int64_t>::min(), visit);
  }

  // Every checkpoint, in seq order.
  Result<std::vector<Checkpoint>> Checkpoints();

  // A record whose stored hash is `hash`, if any (a full scan: verification
  // uses it only to explain a break it has already found).
  Result<std::optional<Record>> FindByHash(const std::string& hash);

 private:
  explicit AuditReader(std::string path);

  std::string path_;
  std::unique_ptr<SqliteConnection> db_;
};

}  // namespace bulwark::audit

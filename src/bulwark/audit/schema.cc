#include "bulwark/audit/schema.h"

#include "bulwark/core/sqlite_connection.h"

namespace bulwark::audit {
namespace {

// Version 1. `seq` is the rowid, so reading in order is a walk of the
// table's own b-tree. Hashes and signatures are kept as hex text, the form
// that is hashed, signed and exported, so nothing is re-encoded between
// storage and verification. The triggers make the log append-only for
// everything that goes through SQLite honestly; they are no protection
// against someone who drops them, which is what the chain and the signed
// checkpoints are for.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE records(
  seq INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX records_by_time ON records(time_ms);
CREATE TABLE checkpoints(
  seq INTEGER PRIMARY KEY,
  record_hash TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL);
CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
PRAGMA user_version = 1;
)sql";

Result<int> UserVersion(SqliteConnection* c) {
  auto version = c->QueryText("PRAGMA user_version");
  if (!version.ok()) return version.error();
  return std::stoi(*version);
}

}  // namespace

std::string AuditDbPath(const std::string& data_dir) {
  return data_dir + "/audit.db";
}

Status CheckSchemaVersion(SqliteConnection* c, const std::string& path) {
  auto v = UserVersion(c);
  if (!v.ok()) return v.error();
  if (*v > kSchemaVersion) {
    return MakeError(ErrorCode::kUnsupported,
                     path + " has schema version " + std::to_string(*v) +
                         ", newer than this Bulwark (" +
                         std::to_string(kSchemaVersion) +
                         "); use a newer Bulwark with this data directory");
  }
  return Ok{};
}

const char* SchemaSql() { return kSchemaV1; }

}  // namespace bulwark::audit

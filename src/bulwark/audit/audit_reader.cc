#include "bulwark/audit/audit_reader.h"

#include <filesystem>
#include <system_error>

#include "bulwark/audit/schema.h"
#include "bulwark/core/sqlite_connection.h"

namespace bulwark::audit {

AuditReader::AuditReader(std::string path) : path_(std::move(path)) {}
AuditReader::~AuditReader() = default;

Result<std::unique_ptr<AuditReader>> AuditReader::Open(
    const std::string& data_dir) {
  std::unique_ptr<AuditReader> reader(new AuditReader(AuditDbPath(data_dir)));
  std::error_code ec;
  if (!std::filesystem::exists(reader->path_, ec)) {
    return MakeError(ErrorCode::kNotFound, "no audit log at " + reader->path_);
  }
  auto db =
      SqliteConnection::Open(reader->path_, /*create=*/false, kBusyTimeoutMs);
  if (!db.ok()) return db.error();
  auto s = (*db)->Exec("PRAGMA query_only = ON");
  if (!s.ok()) return s.error();
  s = CheckSchemaVersion(db->get(), reader->path_);
  if (!s.ok()) return s.error();
  reader->db_ = std::move(*db);
  return reader;
}

namespace {

// Columns in the order both queries below select them.
Record ReadRecord(const Stmt& q) {
  Record r;
  r.seq = q.Int(0);
  r.time_ms = q.Int(1);
  r.actor = q.Text(2);
  r.action = q.Text(3);
  r.target = q.Text(4);
  r.reason = q.Text(5);
  r.details = q.Text(6);
  r.prev_hash = q.Text(7);
  r.hash = q.Text(8);
  return r;
}

}  // namespace

Status AuditReader::ForEachRecord(
    int64_t from_seq, int64_t from_ms,
    const std::function<bool(const Record&)>& visit) {
  auto q = db_->Prepare(
      "SELECT seq, time_ms, actor, action, target, reason, details, "
      "prev_hash, hash FROM records WHERE seq >= ?1 AND time_ms >= ?2 "
      "ORDER BY seq");
  if (!q.ok()) return q.error();
  q->Bind(1, from_seq);
  q->Bind(2, from_ms);
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    if (!visit(ReadRecord(*q))) return Ok{};
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading the audit log");
  return Ok{};
}

Result<std::vector<Checkpoint>> AuditReader::Checkpoints() {
  auto q = db_->Prepare(
      "SELECT seq, record_hash, time_ms, key_id, signature FROM checkpoints "
      "ORDER BY seq");
  if (!q.ok()) return q.error();
  std::vector<Checkpoint> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    Checkpoint c;
    c.seq = q->Int(0);
    c.record_hash = q->Text(1);
    c.time_ms = q->Int(2);
    c.key_id = q->Text(3);
    c.signature = q->Text(4);
    out.push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading checkpoints");
  return out;
}

Result<std::optional<Record>> AuditReader::FindByHash(const std::string& hash) {
  auto q = db_->Prepare(
      "SELECT seq, time_ms, actor, action, target, reason, details, "
      "prev_hash, hash FROM records WHERE hash = ?1 LIMIT 1");
  if (!q.ok()) return q.error();
  q->BindText(1, hash);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return std::optional<Record>(ReadRecord(*q));
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading the audit log");
  return std::optional<Record>();
}

}  // namespace bulwark::audit

#include "bulwark/audit/audit_log.h"

#include <filesystem>
#include <system_error>

#include "bulwark/audit/schema.h"
#include "bulwark/core/sqlite_connection.h"

namespace bulwark::audit {

AuditLog::AuditLog(std::string path, std::optional<SigningKey> key,
                   int64_t checkpoint_every, const Clock& clock)
    : path_(std::move(path)),
      key_(std::move(key)),
      checkpoint_every_(checkpoint_every),
      clock_(clock) {}

AuditLog::~AuditLog() = default;

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const AuditLogOptions& options,
                                                 const Clock& clock) {
  if (options.checkpoint_every < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "audit checkpoint interval must be 0 or more records");
  }
  std::optional<SigningKey> key;
  if (!options.signing_key_path.empty()) {
    auto k = SigningKey::FromPemFile(options.signing_key_path);
    if (!k.ok()) return k.error();
    key = std::move(*k);
  }
  std::unique_ptr<AuditLog> log(new AuditLog(AuditDbPath(options.data_dir),
                                             std::move(key),
                                             options.checkpoint_every, clock));
  // WAL with synchronous=FULL: in WAL mode NORMAL survives a killed process
  // but may lose the last commits on power loss; an acknowledged action
  // must keep its record.
  auto db = OpenStateDatabase(log->path_, kSchemaVersion, SchemaSql(),
                              kBusyTimeoutMs);
  if (!db.ok()) return db.error();
  log->db_ = std::move(*db);
  return log;
}

Result<std::pair<int64_t, std::string>> AuditLog::Newest() {
  auto q = db_->Prepare(
      "SELECT seq, hash FROM records ORDER BY seq DESC "
      "LIMIT 1");
  if (!q.ok()) return q.error();
  const int rc = q->Step();
  if (rc == SQLITE_DONE)
    return std::pair{int64_t{0}, std::string(kGenesisHash)};
  if (rc != SQLITE_ROW) return db_->LastError(rc, "reading the audit log");
  return std::pair{q->Int(0), q->Text(1)};
}

Status AuditLog::InsertCheckpoint(const Checkpoint& cp) {
  auto ins = db_->Prepare(
      "INSERT INTO checkpoints(seq, record_hash, time_ms, key_id, signature) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!ins.ok()) return ins.error();
  ins->Bind(1, cp.seq);
  ins->BindText(2, cp.record_hash);
  ins->Bind(3, cp.time_ms);
  ins->BindText(4, cp.key_id);
  ins->BindText(5, cp.signature);
  const int rc = ins->Step();
  if (rc != SQLITE_DONE) {
    return db_->LastError(rc, "writing an audit checkpoint");
  }
  return Ok{};
}

Result<Record> AuditLog::Append(const NewRecord& in) {
  auto normal = Normalize(in);
  if (!normal.ok()) return normal.error();
  std::lock_guard<std::mutex> lock(mu_);
  WriteTransaction tx(db_.get());
  auto s = tx.Begin();
  if (!s.ok()) return s.error();
  auto newest = Newest();
  if (!newest.ok()) return newest.error();

  Record r;
  r.seq = newest->first + 1;
  r.time_ms = clock_.NowMs();
  r.actor = std::move(normal->actor);
  r.action = std::move(normal->action);
  r.target = std::move(normal->target);
  r.reason = std::move(normal->reason);
  r.details = std::move(normal->details);
  r.prev_hash = std::move(newest->second);
  r.hash = ComputeHash(r);

  auto ins = db_->Prepare(
      "INSERT INTO records(seq, time_ms, actor, action, target, reason, "
      "details, prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!ins.ok()) return ins.error();
  ins->Bind(1, r.seq);
  ins->Bind(2, r.time_ms);
  ins->BindText(3, r.actor);
  ins->BindText(4, r.action);
  ins->BindText(5, r.target);
  ins->BindText(6, r.reason);
  ins->BindText(7, r.details);
  ins->BindText(8, r.prev_hash);
  ins->BindText(9, r.hash);
  const int rc = ins->Step();
  if (rc != SQLITE_DONE)
    return db_->LastError(rc, "appending to the audit log");

  // In the same transaction, so a record never lacks the checkpoint its
  // seq calls for.
  if (key_ && checkpoint_every_ > 0 && r.seq % checkpoint_every_ == 0) {
    auto cp = SignCheckpoint(*key_, r.seq, r.hash, r.time_ms);
    if (!cp.ok()) return cp.error();
    s = InsertCheckpoint(*cp);
    if (!s.ok()) return s.error();
  }
  s = tx.Commit();
  if (!s.ok()) return s.error();
  return r;
}

Result<std::optional<Checkpoint>> AuditLog::WriteCheckpoint() {
  if (!key_) {
    return MakeError(ErrorCode::kUnsupported,
                     "no audit signing key is configured, so no checkpoints "
                     "can be signed");
  }
  std::lock_guard<std::mutex> lock(mu_);
  WriteTransaction tx(db_.get());
  auto s = tx.Begin();
  if (!s.ok()) return s.error();
  auto newest = Newest();
  if (!newest.ok()) return newest.error();
  if (newest->first == 0) return std::optional<Checkpoint>();
  auto exists = db_->Prepare("SELECT 1 FROM checkpoints WHERE seq = ?1");
  if (!exists.ok()) return exists.error();
  exists->Bind(1, newest->first);
  const int rc = exists->Step();
  if (rc == SQLITE_ROW) return std::optional<Checkpoint>();
  if (rc != SQLITE_DONE) return db_->LastError(rc, "reading checkpoints");

  auto cp =
      SignCheckpoint(*key_, newest->first, newest->second, clock_.NowMs());
  if (!cp.ok()) return cp.error();
  s = InsertCheckpoint(*cp);
  if (!s.ok()) return s.error();
  s = tx.Commit();
  if (!s.ok()) return s.error();
  return std::optional<Checkpoint>(std::move(*cp));
}

}  // namespace bulwark::audit

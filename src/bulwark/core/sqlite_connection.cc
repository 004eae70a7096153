#include "bulwark/core/sqlite_connection.h"

#include <filesystem>
#include <string>
#include <system_error>

namespace bulwark {

Stmt::~Stmt() {
  if (s_ != nullptr) {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
}

void Stmt::BindText(int i, std::string_view text) {
  // An empty view may have a null data(), which SQLite would bind as NULL.
  sqlite3_bind_text(s_, i, text.empty() ? "" : text.data(),
                    static_cast<int>(text.size()), SQLITE_STATIC);
}

void Stmt::BindBlob(int i, std::span<const uint8_t> bytes) {
  sqlite3_bind_blob(s_, i, bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_STATIC);
}

std::string Stmt::Text(int col) const {
  const auto* p = sqlite3_column_text(s_, col);
  const int n = sqlite3_column_bytes(s_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), n);
}

std::span<const uint8_t> Stmt::Blob(int col) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, col));
  const int n = sqlite3_column_bytes(s_, col);
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(n)};
}

ErrorCode ErrorCodeForSqlite(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCode::kIo;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
      return ErrorCode::kInvalidArgument;
    default:
      return ErrorCode::kInternal;
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, bool create, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: the store hands each connection to one thread at a time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open database " + path + ": " +
                      (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return MakeError(ErrorCodeForSqlite(rc), msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> SqliteConnection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(it->second);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) return LastError(rc, "preparing a statement");
  cache_.emplace(sql, stmt);
  return Stmt(stmt);
}

Status SqliteConnection::Exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return MakeError(ErrorCodeForSqlite(rc), "database error: " + msg);
  }
  return Ok{};
}

Result<std::string> SqliteConnection::QueryText(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return LastError(rc, "preparing a query");
  rc = sqlite3_step(stmt);
  std::string out;
  if (rc == SQLITE_ROW) {
    const auto* p = sqlite3_column_text(stmt, 0);
    if (p != nullptr) out = reinterpret_cast<const char*>(p);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return LastError(rc, "a query");
  return out;
}

Error SqliteConnection::LastError(int rc, const std::string& what) {
  std::string msg = sqlite3_errmsg(db_);
  if ((rc & 0xff) == SQLITE_BUSY) {
    msg = "the database is locked by another writer (waited " +
          std::string("for the busy timeout)");
  }
  return MakeError(ErrorCodeForSqlite(rc),
                   "database error while " + what + ": " + msg);
}

Result<std::unique_ptr<SqliteConnection>> OpenStateDatabase(
    const std::string& path, int version, const char* schema_sql,
    int busy_timeout_ms) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot create directory " + dir.string() +
                                         ": " + ec.message());
  }
  auto opened = SqliteConnection::Open(path, /*create=*/true, busy_timeout_ms);
  if (!opened.ok()) return opened.error();
  SqliteConnection* c = opened->get();
  auto check_version = [&]() -> Result<int> {
    auto v = c->QueryText("PRAGMA user_version");
    if (!v.ok()) return v.error();
    const int found = std::stoi(*v);
    if (found != 0 && found != version) {
      return MakeError(ErrorCode::kUnsupported,
                       path + " has schema version " + std::to_string(found) +
                           "; this Bulwark reads version " +
                           std::to_string(version));
    }
    return found;
  };
  // Refuse a foreign version before anything writes to the file.
  auto found = check_version();
  if (!found.ok()) return found.error();
  auto mode = c->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  if (*mode != "wal") {
    return MakeError(ErrorCode::kIo, "cannot put " + path +
                                         " in WAL mode (got '" + *mode + "')");
  }
  for (const char* pragma :
       {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    auto s = c->Exec(pragma);
    if (!s.ok()) return s.error();
  }
  if (*found == version) return opened;
  WriteTransaction tx(c);
  auto s = tx.Begin();
  if (!s.ok()) return s.error();
  // Again under the write lock: another process may have just created it.
  found = check_version();
  if (!found.ok()) return found.error();
  if (*found == 0) {
    s = c->Exec(schema_sql);
    if (!s.ok()) return s.error();
  }
  s = tx.Commit();
  if (!s.ok()) return s.error();
  return opened;
}

WriteTransaction::~WriteTransaction() {
  if (open_) (void)c_->Exec("ROLLBACK");
}

Status WriteTransaction::Begin() {
  // IMMEDIATE takes the write lock now, so a concurrent writer waits (busy
  // timeout) here instead of failing half-way through with SQLITE_BUSY.
  auto s = c_->Exec("BEGIN IMMEDIATE");
  if (s.ok()) open_ = true;
  return s;
}

Status WriteTransaction::Commit() {
  auto s = c_->Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace bulwark

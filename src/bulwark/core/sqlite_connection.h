// A thin RAII layer over one sqlite3 connection and its prepared
// statements, for the modules that keep their state in SQLite (banks,
// conduct, incidents, the audit log). A connection is used by one thread
// at a time; its owner arranges that.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark {

// A borrowed prepared statement: reset and unbound when it goes out of
// scope, so the cached statement is ready for its next use.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  void Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void BindDouble(int i, double v) { sqlite3_bind_double(s_, i, v); }
  // `text` must outlive the step (statements are short-lived here).
  void BindText(int i, std::string_view text);
  void BindBlob(int i, std::span<const uint8_t> bytes);
  void BindNull(int i) { sqlite3_bind_null(s_, i); }

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(s_); }
  // Ready to bind and step again (bindings are kept).
  void Reset() { sqlite3_reset(s_); }

  // Columns are 0-based.
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Double(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const {
    return sqlite3_column_type(s_, col) == SQLITE_NULL;
  }
  std::string Text(int col) const;
  std::span<const uint8_t> Blob(int col) const;

 private:
  sqlite3_stmt* s_;
};

class SqliteConnection {
 public:
  // `create`: create the file if missing. Sets the busy timeout.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        bool create,
                                                        int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() { return db_; }

  // `sql` must be a string literal: statements are cached by its address.
  Result<Stmt> Prepare(const char* sql);
  // Runs SQL with no results (pragmas, BEGIN/COMMIT, DDL).
  Status Exec(const char* sql);
  // The first column of the first row of `sql`, as text.
  Result<std::string> QueryText(const char* sql);

  // An Error for the connection's last failure (or `rc`), saying `what`
  // failed.
  Error LastError(int rc, const std::string& what);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// Opens, creating it and its directory if missing, the database file that holds
// one module's state: WAL journal, synchronous=FULL (a commit is on disk when
// it returns, so a kill cannot lose an acknowledged write), foreign keys on. A
// new file gets `schema_sql`, which must end by setting PRAGMA user_version =
// `version`; a file with another non-zero version is refused (kUnsupported)
// rather than misread.
Result<std::unique_ptr<SqliteConnection>> OpenStateDatabase(
    const std::string& path, int version, const char* schema_sql,
    int busy_timeout_ms = 10000);

// Maps a SQLite result code to the project's error codes.
ErrorCode ErrorCodeForSqlite(int rc);

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteConnection* c) : c_(c) {}
  ~WriteTransaction();
  Status Begin();
  Status Commit();

 private:
  SqliteConnection* c_;
  bool open_ = false;
};

}  // namespace bulwark

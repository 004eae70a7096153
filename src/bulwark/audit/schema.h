// The audit database, DATA_DIR/audit.db: its tables and version, shared by
// the writer (AuditLog) and the readers (AuditReader). A file of its own,
// apart from bulwark.db, so the log can be copied, archived and kept for
// its own retention period without the banks.
#pragma once

#include <string>

#include "bulwark/core/result.h"

namespace bulwark {
class SqliteConnection;  // core/sqlite_connection.h
}  // namespace bulwark

namespace bulwark::audit {

// The schema version this code writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 1;
// How long a write waits for another process's write transaction.
inline constexpr int kBusyTimeoutMs = 30000;

std::string AuditDbPath(const std::string& data_dir);

// kUnsupported when the file was written by a newer Bulwark (it is then
// never modified); Ok for the current version and for a new, empty file.
Status CheckSchemaVersion(SqliteConnection* c, const std::string& path);

// The tables of a new file, ending with PRAGMA user_version (for
// OpenStateDatabase).
const char* SchemaSql();

}  // namespace bulwark::audit

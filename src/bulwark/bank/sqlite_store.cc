#include "bulwark/bank/sqlite_store.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "bulwark/bank/entry_text.h"
#include "bulwark/core/hex.h"
#include "bulwark/core/sqlite_connection.h"
#include "bulwark/core/utf8.h"

namespace bulwark::bank {
namespace {

// Version 1. Values are raw digest bytes (16, 20 or 32), half the size of
// hex in the unique index that every import probes. Ids are AUTOINCREMENT so
// an id is never reused, even after a bank is deleted: the matcher and
// reports may hold them. `seq` is the store-wide change counter kept in
// `counters`; its unique index makes ForEachChange a range scan.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE banks(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  threshold INTEGER NOT NULL DEFAULT 31,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE entries(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  bank_id INTEGER NOT NULL REFERENCES banks(id),
  type TEXT NOT NULL,
  value BLOB NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  source_id TEXT NOT NULL DEFAULT '',
  quality INTEGER,
  added_at INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT NOT NULL DEFAULT '',
  disabled_at INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL,
  UNIQUE(bank_id, type, value));
CREATE UNIQUE INDEX entries_by_seq ON entries(seq);
CREATE INDEX entries_by_source_id ON entries(bank_id, source_id)
  WHERE source_id <> '';
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL)
  WITHOUT ROWID;
INSERT INTO counters VALUES('seq', 0);
PRAGMA user_version = 1;
)sql";

constexpr const char* kBankColumns =
    "id, name, description, category, enabled, threshold, created_at, "
    "updated_at";

constexpr const char* kSelectEntry =
    "SELECT id, bank_id, type, value, label, source_id, quality, added_at, "
    "disabled, disabled_reason, disabled_at, seq FROM entries ";

// Signal::ToHex is always canonical lowercase hex, so this skips
// HexDecode's checks and allocation: it is on the import hot path.
size_t CanonicalHexToBytes(const std::string& hex, uint8_t* out) {
  auto nibble = [](char c) {
    return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out[i / 2] = static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  }
  return hex.size() / 2;
}

// An entry's place in the unique index (bank_id, type, value): the type's
// name, then the value bytes, compared as SQLite compares text and blobs.
struct SortKey {
  hash::SignalType type;
  uint8_t size;
  uint8_t bytes[32];
  uint32_t index;
  bool operator<(const SortKey& o) const {
    if (type != o.type) {
      return std::strcmp(hash::SignalTypeName(type),
                         hash::SignalTypeName(o.type)) < 0;
    }
    const int c = std::memcmp(bytes, o.bytes, std::min(size, o.size));
    return c != 0 ? c < 0 : size < o.size;
  }
};

UnixSeconds Now() { return static_cast<UnixSeconds>(std::time(nullptr)); }

BankInfo ReadBank(const Stmt& s) {
  BankInfo b;
  b.id = s.Int(0);
  b.name = s.Text(1);
  b.description = s.Text(2);
  b.category = s.Text(3);
  b.enabled = s.Int(4) != 0;
  b.threshold = static_cast<int>(s.Int(5));
  b.created_at = s.Int(6);
  b.updated_at = s.Int(7);
  return b;
}

// Columns as in kSelectEntry.
Result<Entry> ReadEntry(const Stmt& s) {
  Entry e;
  e.id = s.Int(0);
  e.bank_id = s.Int(1);
  auto type = hash::ParseSignalType(s.Text(2));
  if (!type.ok()) {
    return MakeError(ErrorCode::kCorrupt, "entry " + std::to_string(e.id) +
                                              ": " + type.error().message);
  }
  auto signal = hash::Signal::Parse(*type, HexEncode(s.Blob(3)));
  if (!signal.ok()) {
    return MakeError(ErrorCode::kCorrupt, "entry " + std::to_string(e.id) +
                                              ": " + signal.error().message);
  }
  e.signal = std::move(*signal);
  e.label = s.Text(4);
  e.source_id = s.Text(5);
  if (!s.IsNull(6)) e.quality = static_cast<int>(s.Int(6));
  e.added_at = s.Int(7);
  e.disabled = s.Int(8) != 0;
  e.disabled_reason = s.Text(9);
  e.disabled_at = s.Int(10);
  e.seq = s.Int(11);
  return e;
}

Status ValidateBank(const BankInfo& info) {
  auto name = ValidateBankName(info.name);
  if (!name.ok()) return name;
  if (info.threshold < 0 || info.threshold > 128) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bank threshold must be 0 to 128, got " +
                         std::to_string(info.threshold));
  }
  for (const auto* t : {&info.description, &info.category}) {
    if (!IsValidUtf8(*t)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "bank description and category must be UTF-8");
    }
  }
  return Ok{};
}

Error DuplicateBank(const std::string& name) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "a bank named '" + name + "' already exists");
}

Result<int64_t> ReadSeq(SqliteConnection* c) {
  auto s = c->Prepare("SELECT value FROM counters WHERE name = 'seq'");
  if (!s.ok()) return s.error();
  const int rc = s->Step();
  if (rc != SQLITE_ROW) return c->LastError(rc, "reading the change counter");
  return s->Int(0);
}

Status WriteSeq(SqliteConnection* c, int64_t seq) {
  auto s = c->Prepare("UPDATE counters SET value = ?1 WHERE name = 'seq'");
  if (!s.ok()) return s.error();
  s->Bind(1, seq);
  const int rc = s->Step();
  if (rc != SQLITE_DONE)
    return c->LastError(rc, "advancing the change counter");
  return Ok{};
}

Status TouchBank(SqliteConnection* c, int64_t bank_id, UnixSeconds now) {
  auto s = c->Prepare("UPDATE banks SET updated_at = ?2 WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, bank_id);
  s->Bind(2, now);
  const int rc = s->Step();
  if (rc != SQLITE_DONE) return c->LastError(rc, "updating a bank");
  return Ok{};
}

Status MarkDisabled(SqliteConnection* c, int64_t entry_id,
                    const std::string& reason, UnixSeconds now, int64_t seq) {
  auto s = c->Prepare(
      "UPDATE entries SET disabled = 1, disabled_reason = ?2, "
      "disabled_at = ?3, seq = ?4 WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, entry_id);
  s->BindText(2, reason);
  s->Bind(3, now);
  s->Bind(4, seq);
  const int rc = s->Step();
  if (rc != SQLITE_DONE) return c->LastError(rc, "disabling an entry");
  return Ok{};
}

Status CreateSchemaIfNeeded(SqliteConnection* c) {
  WriteTransaction tx(c);
  auto s = tx.Begin();
  if (!s.ok()) return s;
  // Read again under the write lock: another process may have just done it.
  auto version = c->QueryText("PRAGMA user_version");
  if (!version.ok()) return version.error();
  const int v = std::stoi(*version);
  if (v == SqliteStore::kSchemaVersion) return Ok{};
  if (v != 0) {
    return MakeError(ErrorCode::kUnsupported,
                     "database schema version " + std::to_string(v) +
                         " is not one this Bulwark knows");
  }
  s = c->Exec(kSchemaV1);
  if (!s.ok()) return s;
  return tx.Commit();
}

}  // namespace

void SqliteStore::ReaderDeleter::operator()(SqliteConnection* c) const {
  std::lock_guard<std::mutex> lock(store->pool_mu_);
  // A handful of idle readers covers the usual callers (matcher poll, CLI,
  // service threads); extra ones opened under a burst are closed.
  if (store->idle_readers_.size() < 8) {
    store->idle_readers_.emplace_back(c);
  } else {
    delete c;
  }
}

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot create data directory " +
                                         data_dir + ": " + ec.message());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(data_dir + "/bulwark.db"));
  auto writer =
      SqliteConnection::Open(store->path_, /*create=*/true, kBusyTimeoutMs);
  if (!writer.ok()) return writer.error();
  SqliteConnection* c = writer->get();

  // Refuse a newer schema before touching anything (even journal_mode
  // writes to the file).
  auto version = c->QueryText("PRAGMA user_version");
  if (!version.ok()) return version.error();
  const int v = std::stoi(*version);
  if (v > kSchemaVersion) {
    return MakeError(ErrorCode::kUnsupported,
                     store->path_ + " has schema version " + std::to_string(v) +
                         ", newer than this Bulwark (" +
                         std::to_string(kSchemaVersion) +
                         "); use a newer Bulwark with this data directory");
  }
  auto mode = c->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  if (*mode != "wal") {
    return MakeError(ErrorCode::kIo, "cannot put " + store->path_ +
                                         " in WAL mode (got '" + *mode + "')");
  }
  // synchronous=FULL: see the header. cache_size: a large import probes the
  // unique index at random; 64 MiB keeps most of it in memory.
  for (const char* pragma :
       {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"}) {
    auto s = c->Exec(pragma);
    if (!s.ok()) return s.error();
  }
  auto s = CreateSchemaIfNeeded(c);
  if (!s.ok()) return s.error();
  store->writer_ = std::move(*writer);
  return store;
}

Result<SqliteStore::Reader> SqliteStore::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      SqliteConnection* c = idle_readers_.back().release();
      idle_readers_.pop_back();
      return Reader(c, ReaderDeleter{this});
    }
  }
  auto c = SqliteConnection::Open(path_, /*create=*/false, kBusyTimeoutMs);
  if (!c.ok()) return c.error();
  for (const char* pragma :
       {"PRAGMA query_only = ON", "PRAGMA cache_size = -16384"}) {
    auto s = (*c)->Exec(pragma);
    if (!s.ok()) return s.error();
  }
  return Reader(c->release(), ReaderDeleter{this});
}

Result<BankInfo> SqliteStore::CreateBank(const BankInfo& info) {
  auto valid = ValidateBank(info);
  if (!valid.ok()) return valid.error();
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteConnection* c = writer_.get();
  auto s = c->Prepare(
      "INSERT INTO banks(name, description, category, enabled, threshold, "
      "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6)");
  if (!s.ok()) return s.error();
  BankInfo out = info;
  out.created_at = out.updated_at = Now();
  s->BindText(1, info.name);
  s->BindText(2, info.description);
  s->BindText(3, info.category);
  s->Bind(4, info.enabled ? 1 : 0);
  s->Bind(5, info.threshold);
  s->Bind(6, out.created_at);
  const int rc = s->Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return DuplicateBank(info.name);
  if (rc != SQLITE_DONE) return c->LastError(rc, "creating a bank");
  out.id = sqlite3_last_insert_rowid(c->db());
  return out;
}

Result<BankInfo> SqliteStore::GetBank(const std::string& name) {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  static const std::string sql =
      std::string("SELECT ") + kBankColumns + " FROM banks WHERE name = ?1";
  auto s = (*r)->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  s->BindText(1, name);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) {
    return MakeError(ErrorCode::kNotFound, "no bank named '" + name + "'");
  }
  if (rc != SQLITE_ROW) return (*r)->LastError(rc, "reading a bank");
  return ReadBank(*s);
}

Result<std::vector<BankInfo>> SqliteStore::ListBanks() {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  static const std::string sql =
      std::string("SELECT ") + kBankColumns + " FROM banks ORDER BY name";
  auto s = (*r)->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  std::vector<BankInfo> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadBank(*s));
  if (rc != SQLITE_DONE) return (*r)->LastError(rc, "listing banks");
  return out;
}

Status SqliteStore::UpdateBank(const BankInfo& info) {
  auto valid = ValidateBank(info);
  if (!valid.ok()) return valid;
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteConnection* c = writer_.get();
  auto s = c->Prepare(
      "UPDATE banks SET name = ?2, description = ?3, category = ?4, "
      "enabled = ?5, threshold = ?6, updated_at = ?7 WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, info.id);
  s->BindText(2, info.name);
  s->BindText(3, info.description);
  s->BindText(4, info.category);
  s->Bind(5, info.enabled ? 1 : 0);
  s->Bind(6, info.threshold);
  s->Bind(7, Now());
  const int rc = s->Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return DuplicateBank(info.name);
  if (rc != SQLITE_DONE) return c->LastError(rc, "updating a bank");
  if (sqlite3_changes(c->db()) == 0) {
    return MakeError(ErrorCode::kNotFound,
                     "no bank with id " + std::to_string(info.id));
  }
  return Ok{};
}

Status SqliteStore::DeleteBank(const std::string& name) {
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteConnection* c = writer_.get();
  WriteTransaction tx(c);
  auto st = tx.Begin();
  if (!st.ok()) return st;
  int64_t bank_id = 0;
  {
    auto s = c->Prepare("SELECT id FROM banks WHERE name = ?1");
    if (!s.ok()) return s.error();
    s->BindText(1, name);
    const int rc = s->Step();
    if (rc == SQLITE_DONE) {
      return MakeError(ErrorCode::kNotFound, "no bank named '" + name + "'");
    }
    if (rc != SQLITE_ROW) return c->LastError(rc, "deleting a bank");
    bank_id = s->Int(0);
  }
  for (const char* sql : {"DELETE FROM entries WHERE bank_id = ?1",
                          "DELETE FROM banks WHERE id = ?1"}) {
    auto s = c->Prepare(sql);
    if (!s.ok()) return s.error();
    s->Bind(1, bank_id);
    const int rc = s->Step();
    if (rc != SQLITE_DONE) return c->LastError(rc, "deleting a bank");
  }
  return tx.Commit();
}

Result<ImportStats> SqliteStore::AddEntries(
    int64_t bank_id, const std::vector<NewEntry>& entries,
    const std::vector<Retraction>& retractions) {
  // Check everything before the transaction: a bad entry writes nothing.
  for (size_t i = 0; i < entries.size(); ++i) {
    for (auto [what, text] : {std::pair<const char*, const std::string*>{
                                  "label", &entries[i].label},
                              {"source id", &entries[i].source_id}}) {
      auto v = ValidateEntryText(what, *text);
      if (!v.ok()) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            "entry " + std::to_string(i + 1) + ": " + v.error().message);
      }
    }
  }

  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteConnection* c = writer_.get();
  WriteTransaction tx(c);
  auto st = tx.Begin();
  if (!st.ok()) return st.error();
  {
    auto s = c->Prepare("SELECT 1 FROM banks WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, bank_id);
    const int rc = s->Step();
    if (rc == SQLITE_DONE) {
      return MakeError(ErrorCode::kNotFound,
                       "no bank with id " + std::to_string(bank_id));
    }
    if (rc != SQLITE_ROW) return c->LastError(rc, "importing");
  }
  auto seq_or = ReadSeq(c);
  if (!seq_or.ok()) return seq_or.error();
  int64_t seq = *seq_or;
  const UnixSeconds now = Now();
  ImportStats stats;

  auto insert = c->Prepare(
      "INSERT INTO entries(bank_id, type, value, label, source_id, quality, "
      "added_at, disabled, disabled_reason, disabled_at, seq) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT(bank_id, type, value) DO NOTHING");
  if (!insert.ok()) return insert.error();
  // Insert in index order: the unique index then grows at its right edge
  // like an append instead of taking a random page for every entry, which
  // more than halves a large import. Ids (and so ForEachEntry order)
  // follow the values' order within one import; equal values keep their
  // order in `entries`.
  std::vector<SortKey> order(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    order[i].type = entries[i].signal.type();
    order[i].size = static_cast<uint8_t>(
        CanonicalHexToBytes(entries[i].signal.ToHex(), order[i].bytes));
    order[i].index = static_cast<uint32_t>(i);
  }
  std::stable_sort(order.begin(), order.end());
  for (const SortKey& key : order) {
    const NewEntry& e = entries[key.index];
    const std::span<const uint8_t> value(key.bytes, key.size);
    const char* type = hash::SignalTypeName(e.signal.type());
    const bool retracted = e.retracted_reason.has_value();
    insert->Bind(1, bank_id);
    insert->BindText(2, type);
    insert->BindBlob(3, value);
    insert->BindText(4, e.label);
    insert->BindText(5, e.source_id);
    if (e.quality) {
      insert->Bind(6, *e.quality);
    } else {
      insert->BindNull(6);
    }
    insert->Bind(7, now);
    insert->Bind(8, retracted ? 1 : 0);
    insert->BindText(9, retracted ? *e.retracted_reason : std::string_view());
    insert->Bind(10, retracted ? now : 0);
    insert->Bind(11, seq + 1);
    int rc = insert->Step();
    if (rc != SQLITE_DONE) return c->LastError(rc, "adding an entry");
    const bool inserted = sqlite3_changes(c->db()) == 1;
    insert->Reset();  // the next iteration binds again
    if (inserted) {
      ++seq;
      ++(retracted ? stats.tombstoned : stats.added);
      continue;
    }
    auto find = c->Prepare(
        "SELECT id, disabled FROM entries "
        "WHERE bank_id = ?1 AND type = ?2 AND value = ?3");
    if (!find.ok()) return find.error();
    find->Bind(1, bank_id);
    find->BindText(2, type);
    find->BindBlob(3, value);
    rc = find->Step();
    if (rc != SQLITE_ROW) return c->LastError(rc, "reading an entry");
    const int64_t id = find->Int(0);
    const bool disabled = find->Int(1) != 0;
    if (retracted && !disabled) {
      auto d = MarkDisabled(c, id, *e.retracted_reason, now, ++seq);
      if (!d.ok()) return d.error();
      ++stats.tombstoned;
    } else if (!retracted && disabled) {
      ++stats.skipped_tombstoned;
    } else {
      ++stats.unchanged;
    }
  }

  for (const Retraction& r : retractions) {
    std::vector<int64_t> ids;
    bool known = false;
    {
      auto find = c->Prepare(
          "SELECT id, disabled FROM entries "
          "WHERE bank_id = ?1 AND source_id = ?2 AND source_id <> '' "
          "ORDER BY id");
      if (!find.ok()) return find.error();
      find->Bind(1, bank_id);
      find->BindText(2, r.source_id);
      int rc;
      while ((rc = find->Step()) == SQLITE_ROW) {
        known = true;
        if (find->Int(1) == 0) ids.push_back(find->Int(0));
      }
      if (rc != SQLITE_DONE) return c->LastError(rc, "reading entries");
    }
    if (!known) ++stats.unmatched_retractions;
    for (int64_t id : ids) {
      auto d = MarkDisabled(c, id, r.reason, now, ++seq);
      if (!d.ok()) return d.error();
      ++stats.tombstoned;
    }
  }

  if (stats.changed()) {
    auto w = WriteSeq(c, seq);
    if (!w.ok()) return w.error();
    w = TouchBank(c, bank_id, now);
    if (!w.ok()) return w.error();
  }
  st = tx.Commit();
  if (!st.ok()) return st.error();
  return stats;
}

Result<Entry> SqliteStore::GetEntry(int64_t entry_id) {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  static const std::string sql = std::string(kSelectEntry) + "WHERE id = ?1";
  auto s = (*r)->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  s->Bind(1, entry_id);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) {
    return MakeError(ErrorCode::kNotFound,
                     "no entry with id " + std::to_string(entry_id));
  }
  if (rc != SQLITE_ROW) return (*r)->LastError(rc, "reading an entry");
  return ReadEntry(*s);
}

Status SqliteStore::SetEntryState(int64_t entry_id, bool disable,
                                  const std::string& reason) {
  if (disable) {
    auto v = ValidateEntryText("reason", reason);
    if (!v.ok()) return v;
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteConnection* c = writer_.get();
  WriteTransaction tx(c);
  auto st = tx.Begin();
  if (!st.ok()) return st;
  int64_t bank_id = 0;
  {
    auto s = c->Prepare("SELECT disabled, bank_id FROM entries WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, entry_id);
    const int rc = s->Step();
    if (rc == SQLITE_DONE) {
      return MakeError(ErrorCode::kNotFound,
                       "no entry with id " + std::to_string(entry_id));
    }
    if (rc != SQLITE_ROW) return c->LastError(rc, "reading an entry");
    if ((s->Int(0) != 0) == disable) return Ok{};  // already so: no change
    bank_id = s->Int(1);
  }
  auto seq = ReadSeq(c);
  if (!seq.ok()) return seq.error();
  const UnixSeconds now = Now();
  if (disable) {
    st = MarkDisabled(c, entry_id, reason, now, *seq + 1);
  } else {
    auto s = c->Prepare(
        "UPDATE entries SET disabled = 0, disabled_reason = '', "
        "disabled_at = 0, seq = ?2 WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, entry_id);
    s->Bind(2, *seq + 1);
    const int rc = s->Step();
    if (rc != SQLITE_DONE) return c->LastError(rc, "enabling an entry");
  }
  if (!st.ok()) return st;
  st = WriteSeq(c, *seq + 1);
  if (!st.ok()) return st;
  st = TouchBank(c, bank_id, now);
  if (!st.ok()) return st;
  return tx.Commit();
}

Status SqliteStore::DisableEntry(int64_t entry_id, const std::string& reason) {
  return SetEntryState(entry_id, true, reason);
}

Status SqliteStore::EnableEntry(int64_t entry_id) {
  return SetEntryState(entry_id, false, "");
}

Status SqliteStore::ForEachEntry(
    int64_t bank_id, const std::function<void(const Entry&)>& visit) {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  static const std::string sql =
      std::string(kSelectEntry) + "WHERE bank_id = ?1 ORDER BY id";
  auto s = (*r)->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  s->Bind(1, bank_id);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    auto e = ReadEntry(*s);
    if (!e.ok()) return e.error();
    visit(*e);
  }
  if (rc != SQLITE_DONE) return (*r)->LastError(rc, "reading entries");
  return Ok{};
}

Result<int64_t> SqliteStore::ForEachChange(
    int64_t after_seq, const std::function<void(const Entry&)>& visit) {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  static const std::string sql =
      std::string(kSelectEntry) + "WHERE seq > ?1 ORDER BY seq";
  auto s = (*r)->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  s->Bind(1, after_seq);
  int64_t last = after_seq;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    auto e = ReadEntry(*s);
    if (!e.ok()) return e.error();
    last = e->seq;
    visit(*e);
  }
  if (rc != SQLITE_DONE) return (*r)->LastError(rc, "reading changes");
  return last;
}

Result<int64_t> SqliteStore::CountEntries(int64_t bank_id,
                                          bool include_disabled) {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  auto s = (*r)->Prepare(
      "SELECT count(*) FROM entries WHERE bank_id = ?1 "
      "AND (?2 OR disabled = 0)");
  if (!s.ok()) return s.error();
  s->Bind(1, bank_id);
  s->Bind(2, include_disabled ? 1 : 0);
  const int rc = s->Step();
  if (rc != SQLITE_ROW) return (*r)->LastError(rc, "counting entries");
  return s->Int(0);
}

Status SqliteStore::CheckIntegrity() {
  auto r = AcquireReader();
  if (!r.ok()) return r.error();
  auto s = (*r)->Prepare("PRAGMA integrity_check");
  if (!s.ok()) return s.error();
  std::string findings;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    const std::string line = s->Text(0);
    if (line != "ok") findings += (findings.empty() ? "" : "; ") + line;
  }
  if (rc != SQLITE_DONE) return (*r)->LastError(rc, "checking integrity");
  if (!findings.empty()) {
    return MakeError(ErrorCode::kCorrupt,
                     path_ + " failed its integrity check: " + findings);
  }
  return Ok{};
}

}  // namespace bulwark::bank

#include "bulwark/incident/store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "bulwark/core/sqlite_connection.h"
#include "bulwark/incident/incident_json.h"

namespace bulwark::incident {
namespace {

namespace json = boost::json;

constexpr int kBusyTimeoutMs = 5000;
constexpr int64_t kDayMs = 86'400'000;

// Version 1. Filterable fields are columns; the nested parts of the record
// (signals, hashes, text matches, reasons) are one JSON document, read and
// written whole. Categories are also rows of their own so the review queue
// can filter on them with an index. Ids are AUTOINCREMENT: never reused
// after a purge, since audit records name them. Evidence is a row beside
// its incident (not a file) so that both commit in one transaction and a
// purge removes both or neither.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  account TEXT NOT NULL,
  api_key_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  action TEXT NOT NULL,
  state TEXT NOT NULL,
  media_type TEXT NOT NULL,
  has_evidence INTEGER NOT NULL,
  retain_until_ms INTEGER NOT NULL,
  details TEXT NOT NULL);
CREATE INDEX incidents_by_state ON incidents(state, id);
CREATE INDEX incidents_by_retention ON incidents(retain_until_ms);
CREATE TABLE incident_categories(
  category TEXT NOT NULL,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  PRIMARY KEY(category, incident_id)) WITHOUT ROWID;
CREATE INDEX incident_categories_by_incident
  ON incident_categories(incident_id);
CREATE TABLE decisions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  decision TEXT NOT NULL,
  note TEXT NOT NULL,
  actor TEXT NOT NULL,
  time_ms INTEGER NOT NULL);
CREATE INDEX decisions_by_incident ON decisions(incident_id, id);
CREATE TABLE evidence(
  incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  key_id TEXT NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL);
PRAGMA user_version = 1;
)sql";

constexpr const char* kSelectIncident =
    "SELECT id, time_ms, account, api_key_id, direction, action, state, "
    "media_type, has_evidence, retain_until_ms, details FROM incidents ";

Result<policy::Action> ParseAction(const std::string& s) {
  for (policy::Action a : {policy::Action::kReview, policy::Action::kBlock,
                           policy::Action::kReport}) {
    if (s == policy::ActionName(a)) return a;
  }
  return MakeError(ErrorCode::kCorrupt, "unknown incident action '" + s + "'");
}

Result<detect::Direction> ParseDirection(const std::string& s) {
  for (detect::Direction d :
       {detect::Direction::kInput, detect::Direction::kOutput,
        detect::Direction::kDataset}) {
    if (s == detect::DirectionName(d)) return d;
  }
  return MakeError(ErrorCode::kCorrupt,
                   "unknown incident direction '" + s + "'");
}

// Columns as in kSelectIncident; decisions are read separately.
Result<Incident> ReadIncident(const Stmt& s) {
  Incident i;
  i.id = s.Int(0);
  i.time_ms = s.Int(1);
  i.account = s.Text(2);
  i.api_key_id = s.Text(3);
  auto direction = ParseDirection(s.Text(4));
  if (!direction.ok()) return direction.error();
  i.direction = *direction;
  auto action = ParseAction(s.Text(5));
  if (!action.ok()) return action.error();
  i.action = *action;
  auto state = ParseState(s.Text(6));
  if (!state.ok()) return MakeError(ErrorCode::kCorrupt, state.error().message);
  i.state = *state;
  i.media_type = s.Text(7);
  i.has_evidence = s.Int(8) != 0;
  i.retain_until_ms = s.Int(9);
  boost::system::error_code ec;
  const json::value details = json::parse(s.Text(10), ec);
  if (ec) {
    return MakeError(ErrorCode::kCorrupt,
                     "incident " + std::to_string(i.id) + " is damaged");
  }
  auto st = DetailsFromJson(details, &i);
  if (!st.ok()) {
    return MakeError(ErrorCode::kCorrupt,
                     "incident " + std::to_string(i.id) + " is damaged");
  }
  return i;
}

Status ReadDecisions(SqliteConnection* c, Incident* incident) {
  auto s = c->Prepare(
      "SELECT decision, note, actor, time_ms FROM decisions "
      "WHERE incident_id = ?1 ORDER BY id");
  if (!s.ok()) return s.error();
  s->Bind(1, incident->id);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    auto d = ParseDecision(s->Text(0));
    if (!d.ok()) return MakeError(ErrorCode::kCorrupt, d.error().message);
    incident->decisions.push_back(
        DecisionRecord{*d, s->Text(1), s->Text(2), s->Int(3)});
  }
  if (rc != SQLITE_DONE) return c->LastError(rc, "reading decisions");
  return Ok{};
}

Status StepDone(SqliteConnection* c, Stmt& s, const char* what) {
  const int rc = s.Step();
  if (rc != SQLITE_DONE) return c->LastError(rc, what);
  return Ok{};
}

bool HasCategory(const NewIncident& n, const std::string& category) {
  return std::find(n.categories.begin(), n.categories.end(), category) !=
         n.categories.end();
}

State StateAfter(Decision d) {
  switch (d) {
    case Decision::kConfirm:
      return State::kConfirmed;
    case Decision::kFalsePositive:
      return State::kFalsePositive;
    case Decision::kEscalate:
      return State::kEscalated;
  }
  return State::kEscalated;
}

}  // namespace

IncidentStore::IncidentStore(StoreOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}
IncidentStore::~IncidentStore() = default;

Result<std::unique_ptr<IncidentStore>> IncidentStore::Open(
    const std::string& data_dir, StoreOptions options, const Clock& clock) {
  if (options.retention.reportable_days < 1 ||
      options.retention.other_days < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "incident retention periods must be at least one day");
  }
  auto db = OpenStateDatabase(data_dir + "/incidents.db", kSchemaVersion,
                              kSchemaV1, kBusyTimeoutMs);
  if (!db.ok()) return db.error();
  // secure_delete: purged evidence is overwritten, not just unlinked.
  auto s = (*db)->Exec("PRAGMA secure_delete = ON");
  if (!s.ok()) return s.error();
  std::unique_ptr<IncidentStore> store(
      new IncidentStore(std::move(options), clock));
  store->db_ = std::move(*db);
  return store;
}

int64_t IncidentStore::RetainUntil(const NewIncident& n, State state) const {
  const bool reportable =
      n.action == policy::Action::kReport ||
      (state == State::kConfirmed && HasCategory(n, "sexual/minors"));
  const int days = reportable ? options_.retention.reportable_days
                              : options_.retention.other_days;
  return n.time_ms + days * kDayMs;
}

Result<Incident> IncidentStore::Create(const NewIncident& incident,
                                       const Evidence* content) {
  if (incident.action == policy::Action::kAllow) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an allowed item does not make an incident");
  }
  std::optional<SealedEvidence> sealed;
  if (content != nullptr) {
    if (!options_.key) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "cannot keep evidence without an encryption key "
                       "(evidence.key_file or evidence.key_env)");
    }
    auto s = Seal(*content, *options_.key);
    if (!s.ok()) return s.error();
    sealed = std::move(*s);
  }
  const std::string details = json::serialize(DetailsToJson(incident));
  const int64_t retain = RetainUntil(incident, State::kOpen);

  std::lock_guard<std::mutex> lock(mu_);
  SqliteConnection* c = db_.get();
  WriteTransaction tx(c);
  auto st = tx.Begin();
  if (!st.ok()) return st.error();
  {
    auto s = c->Prepare(
        "INSERT INTO incidents(time_ms, account, api_key_id, direction, "
        "action, state, media_type, has_evidence, retain_until_ms, details) "
        "VALUES(?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8, ?9)");
    if (!s.ok()) return s.error();
    s->Bind(1, incident.time_ms);
    s->BindText(2, incident.account);
    s->BindText(3, incident.api_key_id);
    s->BindText(4, detect::DirectionName(incident.direction));
    s->BindText(5, policy::ActionName(incident.action));
    s->BindText(6, incident.media_type);
    s->Bind(7, sealed ? 1 : 0);
    s->Bind(8, retain);
    s->BindText(9, details);
    st = StepDone(c, *s, "recording an incident");
    if (!st.ok()) return st.error();
  }
  const int64_t id = sqlite3_last_insert_rowid(c->db());
  for (const std::string& category : incident.categories) {
    auto s = c->Prepare(
        "INSERT OR IGNORE INTO incident_categories(category, incident_id) "
        "VALUES(?1, ?2)");
    if (!s.ok()) return s.error();
    s->BindText(1, category);
    s->Bind(2, id);
    st = StepDone(c, *s, "recording an incident's categories");
    if (!st.ok()) return st.error();
  }
  if (sealed) {
    auto s = c->Prepare(
        "INSERT INTO evidence(incident_id, key_id, nonce, ciphertext) "
        "VALUES(?1, ?2, ?3, ?4)");
    if (!s.ok()) return s.error();
    s->Bind(1, id);
    s->BindText(2, sealed->key_id);
    s->BindBlob(3, sealed->nonce);
    s->BindBlob(4, sealed->ciphertext);
    st = StepDone(c, *s, "storing evidence");
    if (!st.ok()) return st.error();
  }
  st = tx.Commit();
  if (!st.ok()) return st.error();
  Incident out;
  static_cast<NewIncident&>(out) = incident;
  out.id = id;
  out.has_evidence = sealed.has_value();
  out.retain_until_ms = retain;
  return out;
}

Result<Incident> IncidentStore::GetLocked(int64_t id) {
  SqliteConnection* c = db_.get();
  static const std::string sql = std::string(kSelectIncident) + "WHERE id = ?1";
  auto s = c->Prepare(sql.c_str());
  if (!s.ok()) return s.error();
  s->Bind(1, id);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) {
    return MakeError(ErrorCode::kNotFound, "no incident " + std::to_string(id));
  }
  if (rc != SQLITE_ROW) return c->LastError(rc, "reading an incident");
  auto incident = ReadIncident(*s);
  if (!incident.ok()) return incident;
  auto st = ReadDecisions(c, &*incident);
  if (!st.ok()) return st.error();
  return incident;
}

Result<Incident> IncidentStore::Get(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetLocked(id);
}

Result<Page> IncidentStore::List(const ListFilter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxListLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "limit must be 1 to " + std::to_string(kMaxListLimit) +
                         ", got " + std::to_string(filter.limit));
  }
  std::lock_guard<std::mutex> lock(mu_);
  SqliteConnection* c = db_.get();
  static const std::string sql =
      std::string(kSelectIncident) +
      "WHERE id > ?1 AND (?2 = '' OR state = ?2) AND (?3 = '' OR id IN "
      "(SELECT incident_id FROM incident_categories WHERE category = ?3)) "
      "ORDER BY id LIMIT ?4";
  Page page;
  {
    auto s = c->Prepare(sql.c_str());
    if (!s.ok()) return s.error();
    s->Bind(1, filter.after_id);
    s->BindText(2, filter.state ? StateName(*filter.state) : "");
    s->BindText(3, filter.category);
    // One more than asked tells whether another page follows.
    s->Bind(4, filter.limit + 1);
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) {
      auto incident = ReadIncident(*s);
      if (!incident.ok()) return incident.error();
      page.incidents.push_back(std::move(*incident));
    }
    if (rc != SQLITE_DONE) return c->LastError(rc, "listing incidents");
  }
  if (page.incidents.size() > static_cast<size_t>(filter.limit)) {
    page.incidents.pop_back();
    page.next_after_id = page.incidents.back().id;
  }
  for (Incident& incident : page.incidents) {
    auto st = ReadDecisions(c, &incident);
    if (!st.ok()) return st.error();
  }
  return page;
}

Result<Incident> IncidentStore::Decide(int64_t id, Decision decision,
                                       const std::string& note,
                                       const std::string& actor) {
  if (actor.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a decision needs the person who took it");
  }
  if (note.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a decision needs a note saying why");
  }
  std::lock_guard<std::mutex> lock(mu_);
  SqliteConnection* c = db_.get();
  WriteTransaction tx(c);
  auto st = tx.Begin();
  if (!st.ok()) return st.error();
  auto incident = GetLocked(id);
  if (!incident.ok()) return incident;
  const bool open =
      incident->state == State::kOpen ||
      (incident->state == State::kEscalated && decision != Decision::kEscalate);
  if (!open) {
    std::string msg = "incident " + std::to_string(id) + " is already " +
                      StateName(incident->state);
    if (!incident->decisions.empty()) {
      const DecisionRecord& last = incident->decisions.back();
      msg += " (by " + last.actor + " at " + FormatUtcMs(last.time_ms) + ")";
    }
    msg += incident->state == State::kEscalated
               ? "; decide confirm or false_positive"
               : "; a decided incident cannot be decided again";
    return MakeError(ErrorCode::kInvalidArgument, msg);
  }
  const int64_t now = clock_.NowMs();
  const State state = StateAfter(decision);
  const int64_t retain = RetainUntil(*incident, state);
  {
    auto s = c->Prepare(
        "INSERT INTO decisions(incident_id, decision, note, actor, time_ms) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!s.ok()) return s.error();
    s->Bind(1, id);
    s->BindText(2, DecisionName(decision));
    s->BindText(3, note);
    s->BindText(4, actor);
    s->Bind(5, now);
    st = StepDone(c, *s, "recording a decision");
    if (!st.ok()) return st.error();
  }
  {
    auto s = c->Prepare(
        "UPDATE incidents SET state = ?2, retain_until_ms = ?3 WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, id);
    s->BindText(2, StateName(state));
    s->Bind(3, retain);
    st = StepDone(c, *s, "recording a decision");
    if (!st.ok()) return st.error();
  }
  st = tx.Commit();
  if (!st.ok()) return st.error();
  incident->state = state;
  incident->retain_until_ms = retain;
  incident->decisions.push_back(DecisionRecord{decision, note, actor, now});
  return incident;
}

Result<Evidence> IncidentStore::ReadEvidence(int64_t id) {
  if (!options_.key) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "reading evidence needs the encryption key "
                     "(evidence.key_file or evidence.key_env)");
  }
  SealedEvidence sealed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteConnection* c = db_.get();
    auto s = c->Prepare(
        "SELECT key_id, nonce, ciphertext FROM evidence WHERE incident_id = "
        "?1");
    if (!s.ok()) return s.error();
    s->Bind(1, id);
    const int rc = s->Step();
    if (rc == SQLITE_DONE) {
      return MakeError(ErrorCode::kNotFound,
                       "no evidence kept for incident " + std::to_string(id));
    }
    if (rc != SQLITE_ROW) return c->LastError(rc, "reading evidence");
    sealed.key_id = s->Text(0);
    auto nonce = s->Blob(1);
    auto ciphertext = s->Blob(2);
    sealed.nonce.assign(nonce.begin(), nonce.end());
    sealed.ciphertext.assign(ciphertext.begin(), ciphertext.end());
  }
  auto evidence = Unseal(sealed, *options_.key);
  if (!evidence.ok()) {
    return MakeError(
        evidence.error().code,
        "incident " + std::to_string(id) + ": " + evidence.error().message);
  }
  return evidence;
}

Result<std::vector<PurgedIncident>> IncidentStore::Purge(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteConnection* c = db_.get();
  std::vector<PurgedIncident> purged;
  {
    WriteTransaction tx(c);
    auto st = tx.Begin();
    if (!st.ok()) return st.error();
    {
      auto s = c->Prepare(
          "SELECT id, action, state, has_evidence, retain_until_ms FROM "
          "incidents WHERE retain_until_ms <= ?1 ORDER BY id");
      if (!s.ok()) return s.error();
      s->Bind(1, now_ms);
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) {
        PurgedIncident p;
        p.id = s->Int(0);
        auto action = ParseAction(s->Text(1));
        auto state = ParseState(s->Text(2));
        if (!action.ok()) return action.error();
        if (!state.ok()) return state.error();
        p.action = *action;
        p.state = *state;
        p.had_evidence = s->Int(3) != 0;
        p.retain_until_ms = s->Int(4);
        purged.push_back(p);
      }
      if (rc != SQLITE_DONE)
        return c->LastError(rc, "finding expired incidents");
    }
    if (purged.empty()) return purged;
    // The evidence, decisions and category rows go with it (ON DELETE
    // CASCADE).
    auto s = c->Prepare("DELETE FROM incidents WHERE retain_until_ms <= ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, now_ms);
    st = StepDone(c, *s, "purging incidents");
    if (!st.ok()) return st.error();
    st = tx.Commit();
    if (!st.ok()) return st.error();
  }
  // Copy the WAL into the database and truncate it, so the deleted pages'
  // old images do not stay in the log until some later checkpoint. Another
  // process reading at this moment can keep the checkpoint from finishing;
  // the next purge or the next automatic checkpoint completes it.
  auto checkpoint = c->QueryText("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint.ok()) return checkpoint.error();
  return purged;
}

}  // namespace bulwark::incident

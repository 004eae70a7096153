// Incidents and their evidence in DATA/incidents.db (SQLite, WAL,
// synchronous=FULL): Create returns only once the incident is on disk, so
// a caller that acknowledges after it never loses one. The review queue
// (List, Decide) and retention (Purge) work on the same file. Thread-safe:
// one connection behind a mutex (incidents are few next to checks).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/incident/evidence.h"
#include "bulwark/incident/incident.h"

namespace bulwark {
class SqliteConnection;
}

namespace bulwark::incident {

struct RetentionOptions {
  // Reportable incidents: action `report`, or confirmed by a person with
  // the category sexual/minors.
  int reportable_days = 365;
  int other_days = 90;
};

struct StoreOptions {
  RetentionOptions retention;
  // Needed to keep evidence (Create with content) and to read it back;
  // null when evidence is not kept.
  std::shared_ptr<const EvidenceKey> key;
};

struct ListFilter {
  std::optional<State> state;
  std::string category;  // empty: any
  int limit = 50;        // 1..500
  int64_t after_id = 0;  // the cursor: incidents with a greater id
};

struct Page {
  std::vector<Incident> incidents;       // oldest first
  std::optional<int64_t> next_after_id;  // set when more follow
};

struct PurgedIncident {
  int64_t id = 0;
  policy::Action action = policy::Action::kReview;
  State state = State::kOpen;
  bool had_evidence = false;
  int64_t retain_until_ms = 0;
};

class IncidentStore {
 public:
  static constexpr int kSchemaVersion = 1;
  static constexpr int kMaxListLimit = 500;

  // Opens (creating if needed) DATA_DIR/incidents.db. `clock` stamps
  // decisions and must outlive the store.
  static Result<std::unique_ptr<IncidentStore>> Open(
      const std::string& data_dir, StoreOptions options, const Clock& clock);
  ~IncidentStore();

  // Records `incident` (state open) and, when given, its content encrypted
  // under the store's key, in one transaction that is durable when this
  // returns. Content without a key is refused.
  Result<Incident> Create(const NewIncident& incident,
                          const Evidence* content = nullptr);
  Result<Incident> Get(int64_t id);
  Result<Page> List(const ListFilter& filter);
  // open -> confirmed | false_positive | escalated; escalated ->
  // confirmed | false_positive. Anything else is refused, naming the
  // earlier decision. `actor` and `note` are required. Retention follows
  // the decision (a confirmed sexual/minors incident becomes reportable).
  Result<Incident> Decide(int64_t id, Decision decision,
                          const std::string& note, const std::string& actor);
  // The decrypted content of an incident; kNotFound when none was kept.
  Result<Evidence> ReadEvidence(int64_t id);
  // Deletes every incident whose retention ended at or before `now_ms`,
  // with its evidence and decisions, and returns what went (for the
  // caller's audit log). Freed pages are overwritten (secure_delete) and
  // the WAL is checkpointed, so deleted records do not linger in the
  // files.
  Result<std::vector<PurgedIncident>> Purge(int64_t now_ms);

 private:
  IncidentStore(StoreOptions options, const Clock& clock);
  Result<Incident> GetLocked(int64_t id);
  int64_t RetainUntil(const NewIncident& n, State state) const;

  StoreOptions options_;
  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<SqliteConnection> db_;
};

}  // namespace bulwark::incident

// What the service does around a check besides deciding: refuse accounts
// and keys that may not ask (before any detector runs), and act on a
// verdict that is not "allow" (an incident, a strike, the audit record of
// any enforcement it triggers). Each write is committed before the
// response that reports it is sent.
#pragma once

#include <optional>
#include <string>

#include <boost/json.hpp>

#include "bulwark/audit/audit_log.h"
#include "bulwark/core/result.h"
#include "bulwark/enforce/conduct_store.h"
#include "bulwark/enforce/gate.h"
#include "bulwark/incident/store.h"
#include "bulwark/policy/check.h"
#include "bulwark/service/http.h"

namespace bulwark::service {

// Null members switch that part off (unit tests of the routes alone).
// Owned by `bulwark serve`; all must outlive the server.
struct Accountability {
  enforce::ConductStore* conduct = nullptr;
  enforce::Gate* gate = nullptr;
  incident::IncidentStore* incidents = nullptr;
  audit::AuditLog* audit = nullptr;
  bool keep_evidence = false;  // [evidence] keep: store content encrypted
};

// The account a request speaks for: the body's own field (`account`,
// `user`) if given, else the Bulwark-Account header.
std::string RequestAccount(const Request& req, const std::string& from_body);

// The audit actor for a request: "key:NAME", or "anonymous" without
// authentication (--insecure-no-auth).
std::string Actor(const Request& req);

// 403 (banned, suspended: with `until`) or 429 (throttled, over a rate
// limit: with Retry-After) in the OpenAI error shape plus a machine-readable
// `reason`; nullopt when the request may go on.
std::optional<Response> Admit(const Accountability& a, const Request& req,
                              const std::string& account);

// For a verdict other than allow: records the incident (with the content
// when evidence is kept), the strike on the account and the audit record of
// any action the strike triggered. Returns what to report under
// "accountability" in the response: {incident, account: {status, points,
// actions}}; an empty object when nothing was recorded. An error means the
// caller must not acknowledge the check (500): a block that left no trace
// would be lost.
Result<boost::json::object> ActOnVerdict(const Accountability& a,
                                         const Request& req,
                                         const detect::Item& item,
                                         const policy::CheckResult& check,
                                         const Clock& clock);

// Purges the incidents whose retention has ended (incident::IncidentStore::
// Purge) and appends an "incident.purge" record for each, by `actor`.
// Returns what was purged. The service runs it hourly; `bulwark incident
// purge` on demand.
Result<std::vector<incident::PurgedIncident>> PurgeExpired(
    incident::IncidentStore& incidents, audit::AuditLog& log,
    const std::string& actor, const Clock& clock);

// An account's state as JSON: {account, status, points, until?,
// per_minute?, reason, strikes: [...], history: [...]}, times in UTC.
boost::json::object AccountToJson(const enforce::AccountState& st);

// Appends an audit record for an administrative or reviewer action; errors
// are the caller's to return (the action must not be acknowledged
// unaudited). A null log records nothing.
Status AuditAction(const Accountability& a, const Request& req,
                   const std::string& action, const std::string& target,
                   const std::string& reason,
                   const boost::json::object& details = {});

}  // namespace bulwark::service

#include "bulwark/service/accountability.h"

#include <cmath>

#include "bulwark/core/clock.h"
#include "bulwark/incident/evidence.h"
#include "bulwark/service/router.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

// Points and rates are usually whole: 3, not Boost.JSON's "3E0".
json::value Number(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v))) {
    return static_cast<int64_t>(v);
  }
  return v;
}

}  // namespace

std::string RequestAccount(const Request& req, const std::string& from_body) {
  if (!from_body.empty()) return from_body;
  return req.header("bulwark-account").value_or("");
}

std::string Actor(const Request& req) {
  return req.key_name.empty() ? "anonymous" : "key:" + req.key_name;
}

std::optional<Response> Admit(const Accountability& a, const Request& req,
                              const std::string& account) {
  if (a.gate == nullptr) return std::nullopt;
  const enforce::Admission ad = a.gate->Admit(account, req.key_name);
  if (ad.admitted()) return std::nullopt;
  const bool refused = ad.outcome == enforce::Admission::Outcome::kBanned ||
                       ad.outcome == enforce::Admission::Outcome::kSuspended;
  Response r = ErrorResponse(refused ? 403 : 429, ad.reason,
                             enforce::OutcomeName(ad.outcome));
  // The OpenAI error shape, plus what a platform needs to act on it.
  json::value body = json::parse(r.body);
  json::object& error = body.as_object()["error"].as_object();
  error["reason"] = enforce::OutcomeName(ad.outcome);
  if (!account.empty()) error["account"] = account;
  if (ad.until_ms > 0) error["until"] = FormatUtcMs(ad.until_ms);
  if (ad.retry_after_ms > 0) {
    const auto seconds =
        static_cast<int64_t>(std::ceil(ad.retry_after_ms / 1000.0));
    r.headers["Retry-After"] = std::to_string(seconds);
    error["retry_after_seconds"] = seconds;
  }
  r.body = json::serialize(body);
  return r;
}

Result<std::vector<incident::PurgedIncident>> PurgeExpired(
    incident::IncidentStore& incidents, audit::AuditLog& log,
    const std::string& actor, const Clock& clock) {
  auto purged = incidents.Purge(clock.NowMs());
  if (!purged.ok()) return purged.error();
  for (const incident::PurgedIncident& p : *purged) {
    audit::NewRecord rec;
    rec.actor = actor;
    rec.action = "incident.purge";
    rec.target = "incident:" + std::to_string(p.id);
    rec.reason = "retention ended";
    json::object details;
    details["action"] = policy::ActionName(p.action);
    details["state"] = incident::StateName(p.state);
    details["had_evidence"] = p.had_evidence;
    details["retained_to"] = FormatUtcMs(p.retain_until_ms);
    rec.details = json::serialize(details);
    auto appended = log.Append(rec);
    if (!appended.ok()) return appended.error();
  }
  return purged;
}

json::object AccountToJson(const enforce::AccountState& st) {
  json::object o;
  o["account"] = st.account;
  o["status"] = enforce::AccountStatusName(st.status);
  o["points"] = Number(st.points);
  if (st.until_ms > 0) o["until"] = FormatUtcMs(st.until_ms);
  if (st.per_minute > 0) o["per_minute"] = Number(st.per_minute);
  o["reason"] = st.reason;
  json::array strikes;
  for (const enforce::Strike& s : st.strikes) {
    json::object j;
    j["id"] = s.id;
    j["time"] = FormatUtcMs(s.time_ms);
    j["expires"] = FormatUtcMs(s.expires_ms);
    j["points"] = Number(s.points);
    j["verdict"] = s.verdict;
    j["categories"] = s.categories;
    j["incident"] = s.incident_id;
    strikes.push_back(std::move(j));
  }
  o["strikes"] = std::move(strikes);
  json::array history;
  for (const enforce::EnforcementAction& a : st.history) {
    json::object j;
    j["time"] = FormatUtcMs(a.time_ms);
    j["action"] = a.action;
    if (a.until_ms > 0) j["until"] = FormatUtcMs(a.until_ms);
    j["actor"] = a.actor;
    j["reason"] = a.reason;
    history.push_back(std::move(j));
  }
  o["history"] = std::move(history);
  return o;
}

Status AuditAction(const Accountability& a, const Request& req,
                   const std::string& action, const std::string& target,
                   const std::string& reason, const json::object& details) {
  if (a.audit == nullptr) return Ok{};
  audit::NewRecord rec;
  rec.actor = Actor(req);
  rec.action = action;
  rec.target = target;
  rec.reason = reason;
  rec.details = json::serialize(details);
  auto appended = a.audit->Append(rec);
  if (!appended.ok()) return appended.error();
  return Ok{};
}

Result<json::object> ActOnVerdict(const Accountability& a, const Request& req,
                                  const detect::Item& item,
                                  const policy::CheckResult& check,
                                  const Clock& clock) {
  json::object out;
  if (!check.verdict.flagged()) return out;
  int64_t incident_id = 0;
  if (a.incidents != nullptr) {
    std::optional<incident::NewIncident> ni =
        incident::FromCheck(item, check, clock.NowMs(), req.key_name);
    if (ni) {
      const incident::Evidence evidence = incident::EvidenceFromItem(item);
      auto created =
          a.incidents->Create(*ni, a.keep_evidence ? &evidence : nullptr);
      if (!created.ok()) return created.error();
      incident_id = created->id;
      out["incident"] = incident_id;
    }
  }
  if (a.conduct == nullptr || item.account.empty()) return out;
  auto outcome =
      a.conduct->RecordVerdict(item.account, check.verdict, incident_id);
  if (!outcome.ok()) return outcome.error();
  json::object account;
  account["id"] = item.account;
  account["status"] = enforce::AccountStatusName(outcome->state.status);
  account["points"] = Number(outcome->state.points);
  json::array actions;
  for (const enforce::EnforcementAction& act : outcome->actions) {
    json::object j;
    j["action"] = act.action;
    if (act.until_ms > 0) j["until"] = FormatUtcMs(act.until_ms);
    j["reason"] = act.reason;
    actions.push_back(std::move(j));
    // The policy acted, not the caller: the record says so.
    if (a.audit != nullptr) {
      audit::NewRecord rec;
      rec.actor = "policy";
      rec.action = "account." + act.action;
      rec.target = "account:" + item.account;
      rec.reason = act.reason;
      json::object details;
      details["incident"] = incident_id;
      if (act.until_ms > 0) details["until"] = FormatUtcMs(act.until_ms);
      rec.details = json::serialize(details);
      auto appended = a.audit->Append(rec);
      if (!appended.ok()) return appended.error();
    }
  }
  account["actions"] = std::move(actions);
  out["account"] = std::move(account);
  return out;
}

}  // namespace bulwark::service

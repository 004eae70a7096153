// The review queue, for keys with the reviewer role:
//   GET  /v1/reviews?state=open&category=...&limit=50&after=ID
//   GET  /v1/reviews/{id}
//   POST /v1/reviews/{id}/decision {decision, note, add_to_bank?}
//   GET  /v1/reviews/{id}/media?view=blurred|grayscale|original&reason=...
// Content is never in the JSON; images come only from /media, reduced
// unless `original` is asked for with a reason, and every view is audited.
#include "bulwark/detect/hash_detector.h"
#include "bulwark/hash/signal.h"
#include "bulwark/incident/incident_json.h"
#include "bulwark/incident/views.h"
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

// Holds the hashes of images people judged false positives; a match in it
// suppresses the matches it explains (detect::HashDetector).
constexpr const char* kAllowBank = "allow-list";

Response Failed(const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return ErrorResponse(404, e.message, "not_found");
    case ErrorCode::kInvalidArgument:
      return BadRequest(e);
    default:
      return ErrorResponse(500, e.message, "internal_error");
  }
}

Result<int64_t> IncidentId(const Request& req) {
  const std::string& s = req.params.at("id");
  int64_t id = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || id > (int64_t{1} << 50)) {
      return MakeError(ErrorCode::kNotFound, "no incident " + s);
    }
    id = id * 10 + (c - '0');
  }
  return id;
}

// The incident's image hashes as bank entries (text has none to add).
std::vector<bank::NewEntry> Entries(const incident::Incident& in) {
  std::vector<bank::NewEntry> out;
  const std::pair<hash::SignalType, const std::string*> hashes[] = {
      {hash::SignalType::kMd5, &in.hashes.md5},
      {hash::SignalType::kSha1, &in.hashes.sha1},
      {hash::SignalType::kSha256, &in.hashes.sha256},
      {hash::SignalType::kPdq, &in.hashes.pdq}};
  for (const auto& [type, hex] : hashes) {
    if (hex->empty()) continue;
    auto signal = hash::Signal::Parse(type, *hex);
    if (!signal.ok()) continue;
    bank::NewEntry e;
    e.signal = *signal;
    e.label = "incident " + std::to_string(in.id);
    e.source_id = "incident:" + std::to_string(in.id);
    out.push_back(std::move(e));
  }
  return out;
}

// Adds the entries to `bank_name` (created with `category` when
// `create` and missing) and refreshes the index so the next request sees
// them. Returns how many were new.
Result<int64_t> AddToBank(ServiceContext& ctx, const std::string& bank_name,
                          bool create, const std::string& category,
                          const std::vector<bank::NewEntry>& entries) {
  auto b = ctx.store->GetBank(bank_name);
  if (!b.ok() && b.error().code == ErrorCode::kNotFound && create) {
    bank::BankInfo info;
    info.name = bank_name;
    info.category = category;
    info.description = "Hashes reviewers judged false positives";
    b = ctx.store->CreateBank(info);
  }
  if (!b.ok()) return b.error();
  auto added = ctx.store->AddEntries(b->id, entries);
  if (!added.ok()) return added.error();
  Status s = ctx.matcher->Refresh();
  if (!s.ok()) return s.error();
  return static_cast<int64_t>(added->added);
}

Response List(ServiceContext& ctx, const Request& req) {
  incident::ListFilter filter;
  if (auto it = req.query.find("state"); it != req.query.end()) {
    auto st = incident::ParseState(it->second);
    if (!st.ok()) return BadRequest(st.error(), "state");
    filter.state = *st;
  }
  if (auto it = req.query.find("category"); it != req.query.end()) {
    filter.category = it->second;
  }
  for (const char* name : {"limit", "after"}) {
    auto it = req.query.find(name);
    if (it == req.query.end()) continue;
    int64_t v = 0;
    bool ok = !it->second.empty() && it->second.size() < 12;
    for (char c : it->second) {
      ok = ok && c >= '0' && c <= '9';
      v = v * 10 + (c - '0');
    }
    if (!ok) {
      return BadRequest(
          MakeError(ErrorCode::kInvalidArgument,
                    std::string("'") + name + "' must be a whole number"),
          name);
    }
    if (std::string(name) == "limit") {
      filter.limit = static_cast<int>(v);
    } else {
      filter.after_id = v;
    }
  }
  auto page = ctx.accountability.incidents->List(filter);
  if (!page.ok()) return Failed(page.error());
  json::array data;
  for (const incident::Incident& in : page->incidents) {
    data.push_back(incident::IncidentToJson(in));
  }
  json::object out;
  out["data"] = std::move(data);
  out["next_after"] = page->next_after_id ? json::value(*page->next_after_id)
                                          : json::value(nullptr);
  return JsonResponse(200, out);
}

Response Decide(ServiceContext& ctx, const Request& req) {
  auto id = IncidentId(req);
  if (!id.ok()) return Failed(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return BadRequest(body.error());
  for (const auto& [k, v] : *body) {
    if (k != "decision" && k != "note" && k != "add_to_bank") {
      return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                  "unknown field '" + std::string(k) + "'"),
                        std::string(k));
    }
  }
  auto decision_name = OptionalString(*body, "decision");
  auto note = OptionalString(*body, "note");
  auto bank_name = OptionalString(*body, "add_to_bank");
  if (!decision_name.ok() || !*decision_name) {
    return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                "'decision' must be \"confirm\", "
                                "\"false_positive\" or \"escalate\""),
                      "decision");
  }
  if (!note.ok() || !*note || (*note)->empty()) {
    return BadRequest(
        MakeError(ErrorCode::kInvalidArgument, "'note' is required: say why"),
        "note");
  }
  if (!bank_name.ok()) return BadRequest(bank_name.error(), "add_to_bank");
  auto decision = incident::ParseDecision(**decision_name);
  if (!decision.ok()) return BadRequest(decision.error(), "decision");
  if (*bank_name && *decision != incident::Decision::kConfirm) {
    return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                "'add_to_bank' goes with \"confirm\" only"),
                      "add_to_bank");
  }
  incident::IncidentStore& store = *ctx.accountability.incidents;
  auto before = store.Get(*id);
  if (!before.ok()) return Failed(before.error());
  // A bank that does not exist is refused before anything is decided.
  if (*bank_name) {
    auto b = ctx.store->GetBank(**bank_name);
    if (!b.ok()) return BadRequest(b.error(), "add_to_bank");
  }
  auto decided = store.Decide(*id, *decision, **note, Actor(req));
  if (!decided.ok()) return Failed(decided.error());

  json::object details;
  details["decision"] = incident::DecisionName(*decision);
  int64_t added = 0;
  const std::vector<bank::NewEntry> entries = Entries(*decided);
  std::string to_bank;
  if (*bank_name) {
    to_bank = **bank_name;
  } else if (*decision == incident::Decision::kFalsePositive &&
             !entries.empty()) {
    to_bank = kAllowBank;
  }
  if (!to_bank.empty()) {
    auto n = AddToBank(ctx, to_bank, to_bank == kAllowBank,
                       detect::kAllowListCategory, entries);
    if (!n.ok()) return Failed(n.error());
    added = *n;
    details["bank"] = to_bank;
    details["entries_added"] = added;
  }
  Status s = AuditAction(ctx.accountability, req, "review.decision",
                         "incident:" + std::to_string(*id), **note, details);
  if (!s.ok()) return Failed(s.error());
  json::object out = incident::IncidentToJson(*decided);
  if (!to_bank.empty()) {
    json::object bank;
    bank["name"] = to_bank;
    bank["entries_added"] = added;
    out["added_to_bank"] = std::move(bank);
  }
  return JsonResponse(200, out);
}

Response Media(ServiceContext& ctx, const Request& req) {
  auto id = IncidentId(req);
  if (!id.ok()) return Failed(id.error());
  auto view_it = req.query.find("view");
  auto view = incident::ParseView(view_it == req.query.end() ? "blurred"
                                                             : view_it->second);
  if (!view.ok()) return BadRequest(view.error(), "view");
  const auto reason_it = req.query.find("reason");
  const std::string reason =
      reason_it == req.query.end() ? "" : reason_it->second;
  if (*view == incident::View::kOriginal && reason.empty()) {
    return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                "the original view needs a 'reason' (it is "
                                "recorded in the audit log)"),
                      "reason");
  }
  auto evidence = ctx.accountability.incidents->ReadEvidence(*id);
  if (!evidence.ok()) return Failed(evidence.error());
  if (!evidence->media) {
    return ErrorResponse(
        404, "incident " + std::to_string(*id) + " has no image kept",
        "not_found");
  }
  auto rendered = incident::RenderView(*evidence->media, *view, reason);
  if (!rendered.ok()) return Failed(rendered.error());
  json::object details;
  details["view"] = view_it == req.query.end() ? "blurred" : view_it->second;
  // Audited before the bytes leave: a view that cannot be recorded is not
  // served.
  Status s =
      AuditAction(ctx.accountability, req,
                  *view == incident::View::kOriginal ? "evidence.view_original"
                                                     : "evidence.view",
                  "incident:" + std::to_string(*id), reason, details);
  if (!s.ok()) return Failed(s.error());
  Response r;
  r.content_type = rendered->media_type;
  r.body.assign(rendered->bytes.begin(), rendered->bytes.end());
  r.headers["Cache-Control"] = "no-store";
  return r;
}

}  // namespace

void AddReviewRoutes(Router& router, ServiceContext& ctx) {
  // Without an incident store the queue is empty by construction: the
  // routes are not served at all.
  if (ctx.accountability.incidents == nullptr) return;
  router.Add(Route{"GET", "/v1/reviews", Access::kReviewer, Cost::kWork,
                   [&ctx](const Request& r) { return List(ctx, r); }});
  router.Add(Route{"GET", "/v1/reviews/{id}", Access::kReviewer, Cost::kWork,
                   [&ctx](const Request& r) {
                     auto id = IncidentId(r);
                     if (!id.ok()) return Failed(id.error());
                     auto in = ctx.accountability.incidents->Get(*id);
                     if (!in.ok()) return Failed(in.error());
                     return JsonResponse(200, incident::IncidentToJson(*in));
                   }});
  router.Add(Route{"POST", "/v1/reviews/{id}/decision", Access::kReviewer,
                   Cost::kWork,
                   [&ctx](const Request& r) { return Decide(ctx, r); }});
  router.Add(Route{"GET", "/v1/reviews/{id}/media", Access::kReviewer,
                   Cost::kWork,
                   [&ctx](const Request& r) { return Media(ctx, r); }});
}

}  // namespace bulwark::service

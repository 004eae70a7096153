// Bank administration over HTTP, mirroring `bulwark bank` (admin role):
//   GET    /v1/banks                          list
//   POST   /v1/banks                          create {name, category?, ...}
//   GET    /v1/banks/{name}                   one bank, with entry counts
//   PATCH  /v1/banks/{name}                   {description?, category?,
//                                              threshold?, enabled?}
//   DELETE /v1/banks/{name}
//   POST   /v1/banks/{name}/entries           JSON {entries:[...]}, or a
//                                             list file as the body
//                                             (?format=, ?type=,
//                                             ?skip_invalid=true)
//   GET    /v1/banks/{name}/entries           export (?format=jsonl|csv)
//   POST   /v1/banks/{name}/entries/{id}/disable  {reason}
//   POST   /v1/banks/{name}/entries/{id}/enable
// Every change is applied to the live index before the response, so the
// next request matches against it.
#include <charconv>
#include <sstream>

#include "bulwark/bank/export.h"
#include "bulwark/bank/import.h"
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

Error Invalid(const std::string& msg) {
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

Response StoreError(const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return ErrorResponse(404, e.message, "not_found");
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kCorrupt:
    case ErrorCode::kUnsupported:
      return BadRequest(e);
    case ErrorCode::kLimitExceeded:
      return ErrorResponse(413, e.message, "limit");
    default:
      return ErrorResponse(500, e.message, ErrorCodeName(e.code));
  }
}

json::object BankJson(const bank::BankInfo& b) {
  json::object o;
  o["name"] = b.name;
  o["id"] = b.id;
  o["description"] = b.description;
  o["category"] = b.category;
  o["enabled"] = b.enabled;
  o["threshold"] = b.threshold;
  o["created_at"] = b.created_at;
  o["updated_at"] = b.updated_at;
  return o;
}

// Applies bank fields present in `body` to `info`.
Status ApplyFields(const json::object& body, bank::BankInfo& info,
                   bool creating, std::string& bad_param) {
  for (const auto& [key, value] : body) {
    const std::string k(key);
    bad_param = k;
    if (k == "name" && creating) {
      if (!value.is_string()) return Invalid("'name' must be a string");
      info.name = std::string(value.as_string());
    } else if (k == "description" || k == "category") {
      if (!value.is_string()) return Invalid("'" + k + "' must be a string");
      (k == "description" ? info.description : info.category) =
          std::string(value.as_string());
    } else if (k == "threshold") {
      if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > 128) {
        return Invalid("'threshold' must be an integer 0..128");
      }
      info.threshold = static_cast<int>(value.as_int64());
    } else if (k == "enabled") {
      if (!value.is_bool()) return Invalid("'enabled' must be a boolean");
      info.enabled = value.as_bool();
    } else {
      return Invalid("unknown field '" + k + "'");
    }
  }
  bad_param.clear();
  return Ok{};
}

class BankRoutes {
 public:
  explicit BankRoutes(ServiceContext& ctx) : ctx_(ctx) {}

  Response List() {
    auto banks = ctx_.store->ListBanks();
    if (!banks.ok()) return StoreError(banks.error());
    json::array arr;
    for (const bank::BankInfo& b : *banks) arr.push_back(BankJson(b));
    json::object out;
    out["banks"] = std::move(arr);
    return JsonResponse(200, out);
  }

  Response Create(const Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return BadRequest(body.error());
    bank::BankInfo info;
    std::string bad;
    Status s = ApplyFields(*body, info, /*creating=*/true, bad);
    if (!s.ok()) return BadRequest(s.error(), bad);
    if (info.name.empty()) {
      return BadRequest(Invalid("'name' is required"), "name");
    }
    auto created = ctx_.store->CreateBank(info);
    if (!created.ok()) {
      if (created.error().code == ErrorCode::kInvalidArgument &&
          ctx_.store->GetBank(info.name).ok()) {
        return ErrorResponse(409, created.error().message, "conflict");
      }
      return StoreError(created.error());
    }
    return Applied(201, BankJson(*created));
  }

  Response Show(const Request& req) {
    auto b = ctx_.store->GetBank(req.params.at("name"));
    if (!b.ok()) return StoreError(b.error());
    int64_t active = 0, disabled = 0;
    json::object by_type;
    Status s = ctx_.store->ForEachEntry(b->id, [&](const bank::Entry& e) {
      if (e.disabled) {
        ++disabled;
        return;
      }
      ++active;
      json::value& n = by_type[hash::SignalTypeName(e.signal.type())];
      n = n.is_int64() ? n.as_int64() + 1 : 1;
    });
    if (!s.ok()) return StoreError(s.error());
    json::object out = BankJson(*b);
    out["entries_active"] = active;
    out["entries_disabled"] = disabled;
    out["entries_by_type"] = std::move(by_type);
    return JsonResponse(200, out);
  }

  Response Update(const Request& req) {
    auto b = ctx_.store->GetBank(req.params.at("name"));
    if (!b.ok()) return StoreError(b.error());
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return BadRequest(body.error());
    std::string bad;
    Status s = ApplyFields(*body, *b, /*creating=*/false, bad);
    if (!s.ok()) return BadRequest(s.error(), bad);
    s = ctx_.store->UpdateBank(*b);
    if (!s.ok()) return StoreError(s.error());
    auto now = ctx_.store->GetBank(b->name);
    if (!now.ok()) return StoreError(now.error());
    return Applied(200, BankJson(*now));
  }

  Response Delete(const Request& req) {
    Status s = ctx_.store->DeleteBank(req.params.at("name"));
    if (!s.ok()) return StoreError(s.error());
    json::object out;
    out["deleted"] = req.params.at("name");
    return Applied(200, out);
  }

  Response AddEntries(const Request& req) {
    auto b = ctx_.store->GetBank(req.params.at("name"));
    if (!b.ok()) return StoreError(b.error());
    bank::ImportOptions options;
    std::string text;
    const std::string type = req.header("content-type").value_or("");
    if (type.rfind("application/json", 0) == 0) {
      // {entries:[{type,value,label?,source_id?,quality?}]}: the JSONL
      // importer's record shape, so the same validation applies.
      auto body = ParseJsonObject(req.body);
      if (!body.ok()) return BadRequest(body.error());
      const json::value* entries = body->if_contains("entries");
      if (entries == nullptr || !entries->is_array()) {
        return BadRequest(Invalid("'entries' must be an array"), "entries");
      }
      for (const json::value& e : entries->as_array()) {
        if (!e.is_object()) {
          return BadRequest(Invalid("each entry must be an object"), "entries");
        }
        text += json::serialize(e);
        text += '\n';
      }
      options.format = bank::ImportFormat::kJsonl;
    } else {
      text = req.body;
      if (auto f = req.query.find("format"); f != req.query.end()) {
        auto format = bank::ParseImportFormat(f->second);
        if (!format.ok()) return BadRequest(format.error(), "format");
        options.format = *format;
      }
    }
    if (auto t = req.query.find("type"); t != req.query.end()) {
      auto st = hash::ParseSignalType(t->second);
      if (!st.ok()) return BadRequest(st.error(), "type");
      options.signal_type = *st;
    }
    if (auto s = req.query.find("skip_invalid"); s != req.query.end()) {
      options.skip_invalid = s->second == "true";
    }
    std::istringstream in(text);
    auto report = bank::ImportStream(*ctx_.store, b->id, in, options);
    if (!report.ok()) return StoreError(report.error());
    json::object out;
    out["format"] = bank::ImportFormatName(report->format);
    out["records"] = report->records;
    out["added"] = report->stats.added;
    out["unchanged"] = report->stats.unchanged;
    out["tombstoned"] = report->stats.tombstoned;
    out["skipped"] = report->skipped;
    out["unsupported_fingerprints"] = report->unsupported_fingerprints;
    return Applied(200, out);
  }

  Response Export(const Request& req) {
    auto b = ctx_.store->GetBank(req.params.at("name"));
    if (!b.ok()) return StoreError(b.error());
    bank::ExportFormat format = bank::ExportFormat::kJsonl;
    if (auto f = req.query.find("format"); f != req.query.end()) {
      auto parsed = bank::ParseExportFormat(f->second);
      if (!parsed.ok()) return BadRequest(parsed.error(), "format");
      format = *parsed;
    }
    std::ostringstream out;
    auto n = bank::ExportBank(*ctx_.store, b->id, format, out);
    if (!n.ok()) return StoreError(n.error());
    Response r;
    r.content_type = format == bank::ExportFormat::kCsv
                         ? "text/csv"
                         : "application/x-ndjson";
    r.body = out.str();
    return r;
  }

  Response SetEntryState(const Request& req, bool enable) {
    auto b = ctx_.store->GetBank(req.params.at("name"));
    if (!b.ok()) return StoreError(b.error());
    int64_t id = 0;
    const std::string& text = req.params.at("id");
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return BadRequest(Invalid("entry id must be an integer"), "id");
    }
    auto entry = ctx_.store->GetEntry(id);
    if (!entry.ok()) return StoreError(entry.error());
    if (entry->bank_id != b->id) {
      return ErrorResponse(404, "entry " + text + " is not in bank " + b->name,
                           "not_found");
    }
    Status s = Ok{};
    if (enable) {
      s = ctx_.store->EnableEntry(id);
    } else {
      std::string reason = "disabled over the API";
      if (!req.body.empty()) {
        auto body = ParseJsonObject(req.body);
        if (!body.ok()) return BadRequest(body.error());
        auto r = OptionalString(*body, "reason");
        if (!r.ok()) return BadRequest(r.error(), "reason");
        if (*r) reason = **r;
      }
      s = ctx_.store->DisableEntry(id, reason);
    }
    if (!s.ok()) return StoreError(s.error());
    json::object out;
    out["entry_id"] = id;
    out["disabled"] = !enable;
    return Applied(200, out);
  }

 private:
  // Refreshes the matcher so the change serves the next request; a failed
  // refresh is a server error (the change is stored, but not yet live).
  Response Applied(int status, const json::object& body) {
    Status s = ctx_.matcher->Refresh();
    if (!s.ok()) {
      return ErrorResponse(
          500,
          "stored, but the index could not be refreshed: " + s.error().message,
          "index_refresh");
    }
    return JsonResponse(status, body);
  }

  ServiceContext& ctx_;
};

// "bank.create", "bank.update", ... for changes; "" for reads.
std::string AuditActionName(const std::string& method,
                            const std::string& pattern) {
  if (method == "GET") return "";
  if (pattern == "/v1/banks") return "bank.create";
  if (method == "PATCH") return "bank.update";
  if (method == "DELETE") return "bank.delete";
  if (pattern.ends_with("/disable")) return "bank.entry_disable";
  if (pattern.ends_with("/enable")) return "bank.entry_enable";
  return "bank.import";
}

}  // namespace

void AddBankRoutes(Router& router, ServiceContext& ctx) {
  auto routes = std::make_shared<BankRoutes>(ctx);
  // Changes refresh the index, so they wait until it is loaded.
  // Every change that succeeded is audited (who, which route, on what);
  // reads are not.
  auto add = [&](const char* method, const char* pattern, Handler h) {
    const std::string action = AuditActionName(method, pattern);
    router.Add(Route{
        method, pattern, Access::kAdmin, Cost::kWork,
        [&ctx, action, h = std::move(h)](const Request& r) {
          if (auto busy = UnlessReady(ctx)) return *busy;
          Response response = h(r);
          if (action.empty() || response.status >= 300) return response;
          json::object details;
          for (const auto& [k, v] : r.query) details[k] = v;
          Status s =
              AuditAction(ctx.accountability, r, action, r.path,
                          r.header("bulwark-reason").value_or(""), details);
          if (!s.ok()) {
            return ErrorResponse(
                500,
                "done, but not recorded in the audit log: " + s.error().message,
                "not_audited");
          }
          return response;
        }});
  };
  add("GET", "/v1/banks", [routes](const Request&) { return routes->List(); });
  add("POST", "/v1/banks",
      [routes](const Request& r) { return routes->Create(r); });
  add("GET", "/v1/banks/{name}",
      [routes](const Request& r) { return routes->Show(r); });
  add("PATCH", "/v1/banks/{name}",
      [routes](const Request& r) { return routes->Update(r); });
  add("DELETE", "/v1/banks/{name}",
      [routes](const Request& r) { return routes->Delete(r); });
  add("POST", "/v1/banks/{name}/entries",
      [routes](const Request& r) { return routes->AddEntries(r); });
  add("GET", "/v1/banks/{name}/entries",
      [routes](const Request& r) { return routes->Export(r); });
  add("POST", "/v1/banks/{name}/entries/{id}/disable",
      [routes](const Request& r) { return routes->SetEntryState(r, false); });
  add("POST", "/v1/banks/{name}/entries/{id}/enable",
      [routes](const Request& r) { return routes->SetEntryState(r, true); });
}

}  // namespace bulwark::service

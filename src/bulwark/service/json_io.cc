#include "bulwark/service/json_io.h"

#include "bulwark/hash/pdq_dct.h"
#include "bulwark/service/router.h"

namespace bulwark::service {
namespace json = boost::json;

Result<json::object> ParseJsonObject(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    std::string msg = "request body is not valid JSON: ";
    msg += ec.message();
    return MakeError(ErrorCode::kInvalidArgument, msg);
  }
  if (!v.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "request body must be a JSON object");
  }
  return std::move(v.as_object());
}

Result<std::optional<std::string>> OptionalString(const json::object& o,
                                                  const char* field) {
  const json::value* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    std::string msg = "'";
    msg += field;
    msg += "' must be a string";
    return MakeError(ErrorCode::kInvalidArgument, msg);
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<int64_t>> OptionalInt(const json::object& o,
                                           const char* field) {
  const json::value* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  std::string msg = "'";
  msg += field;
  msg += "' must be an integer";
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

Response JsonResponse(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  r.body += '\n';
  return r;
}

Response BadRequest(const Error& error, const std::string& param) {
  const int status = error.code == ErrorCode::kLimitExceeded ? 413 : 400;
  return ErrorResponse(status, error.message, ErrorCodeName(error.code), param);
}

json::object MatchJson(const index::Match& m) {
  json::object o;
  o["bank"] = m.bank_name;
  o["bank_category"] = m.bank_category;
  o["entry_id"] = m.entry_id;
  o["type"] = hash::SignalTypeName(m.type);
  o["value"] = m.value;
  o["distance"] = m.distance;
  if (m.type == hash::SignalType::kPdq) {
    o["variant"] = hash::DihedralName(static_cast<hash::Dihedral>(m.variant));
  }
  o["label"] = m.label;
  o["source_id"] = m.source_id;
  return o;
}

json::object HashesJson(const hash::FileHashes& h) {
  json::object o;
  if (h.md5) o["md5"] = *h.md5;
  if (h.sha1) o["sha1"] = *h.sha1;
  if (h.sha256) o["sha256"] = *h.sha256;
  if (h.pdq) {
    o["pdq"] = h.pdq->hash.ToHex();
    o["pdq_quality"] = h.pdq->quality;
  }
  if (h.image) {
    o["format"] = media::ImageFormatName(h.image->format);
    o["width"] = h.image->width;
    o["height"] = h.image->height;
  }
  if (h.error) o["error"] = h.error->ToString();
  return o;
}

json::array FindingsJson(const std::vector<detect::DetectorReport>& reports) {
  json::array out;
  for (const detect::DetectorReport& r : reports) {
    for (const detect::Finding& f : r.findings) {
      json::object o;
      o["detector"] = f.detector;
      o["kind"] = f.kind;
      o["category"] = f.category;
      o["score"] = f.score;
      o["reason"] = f.reason;
      if (f.match) o["match"] = MatchJson(*f.match);
      if (!f.evidence.empty()) {
        o["field"] = f.field;
        o["view"] = f.view;
        json::array evidence;
        for (const detect::TextEvidence& e : f.evidence) {
          evidence.push_back(
              json::object{{"category", e.category},
                           {"term", e.term},
                           {"matched", e.matched},
                           {"span", json::array{e.span.begin, e.span.end}}});
        }
        o["evidence"] = std::move(evidence);
      }
      out.push_back(std::move(o));
    }
  }
  return out;
}

json::array ErrorsJson(const std::vector<detect::DetectorReport>& reports) {
  json::array out;
  for (const detect::DetectorReport& r : reports) {
    if (!r.error) continue;
    json::object o;
    o["detector"] = r.detector;
    o["code"] = ErrorCodeName(r.error->code);
    o["message"] = r.error->message;
    out.push_back(std::move(o));
  }
  return out;
}

json::object VerdictJson(const policy::Verdict& v) {
  json::object o;
  o["verdict"] = policy::ActionName(v.action);
  json::array categories, reasons;
  for (const std::string& c : v.categories)
    categories.push_back(json::string(c));
  for (const std::string& r : v.reasons) reasons.push_back(json::string(r));
  o["categories"] = std::move(categories);
  o["reasons"] = std::move(reasons);
  return o;
}

}  // namespace bulwark::service

// POST /v1/hash: image bytes (the raw body) -> their hashes.
// POST /v1/match: {signals:[{type,value}] | ["type:value"], banks?,
// threshold?} -> the matches of each signal in the enabled banks.
#include <set>

#include "bulwark/hash/file_hasher.h"
#include "bulwark/hash/pdq_dct.h"
#include "bulwark/index/hash_query.h"
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

Error Invalid(const std::string& msg) {
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

Result<hash::Signal> SignalFrom(const json::value& v, size_t i) {
  const std::string where = "signals[" + std::to_string(i) + "]";
  if (v.is_string()) {
    auto s = hash::Signal::ParseTyped(std::string(v.as_string()));
    if (!s.ok()) return Invalid(where + ": " + s.error().message);
    return *s;
  }
  if (!v.is_object()) {
    return Invalid(where + " must be {\"type\",\"value\"} or \"type:value\"");
  }
  const json::value* type = v.as_object().if_contains("type");
  const json::value* value = v.as_object().if_contains("value");
  if (type == nullptr || value == nullptr || !type->is_string() ||
      !value->is_string()) {
    return Invalid(where + " needs string fields 'type' and 'value'");
  }
  std::string typed(type->as_string());
  typed += ':';
  typed += std::string(value->as_string());
  auto s = hash::Signal::ParseTyped(typed);
  if (!s.ok()) return Invalid(where + ": " + s.error().message);
  return *s;
}

Response Match(const ServiceContext& ctx, const Request& req) {
  if (auto busy = UnlessReady(ctx)) return *busy;
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return BadRequest(body.error());
  const json::value* signals = body->if_contains("signals");
  if (signals == nullptr || !signals->is_array()) {
    return BadRequest(Invalid("'signals' must be an array"), "signals");
  }
  if (signals->as_array().size() > 1024) {
    return BadRequest(Invalid("at most 1024 signals per request"), "signals");
  }
  std::set<std::string> banks;
  if (const json::value* b = body->if_contains("banks")) {
    if (!b->is_array()) {
      return BadRequest(Invalid("'banks' must be an array of names"), "banks");
    }
    for (const json::value& name : b->as_array()) {
      if (!name.is_string()) {
        return BadRequest(Invalid("'banks' must be an array of names"),
                          "banks");
      }
      banks.insert(std::string(name.as_string()));
    }
  }
  auto threshold = OptionalInt(*body, "threshold");
  if (!threshold.ok()) return BadRequest(threshold.error(), "threshold");
  if (*threshold && (**threshold < 0 || **threshold > 256)) {
    return BadRequest(Invalid("'threshold' must be 0..256"), "threshold");
  }
  const std::optional<int> radius =
      *threshold ? std::optional<int>(static_cast<int>(**threshold))
                 : std::nullopt;
  const auto snapshot = ctx.matcher->snapshot();
  json::array results;
  const json::array& arr = signals->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    auto signal = SignalFrom(arr[i], i);
    if (!signal.ok()) return BadRequest(signal.error(), "signals");
    index::HashQuery q;
    if (signal->type() == hash::SignalType::kPdq) {
      q.pdq_variants.push_back(*hash::PdqHash::FromHex(signal->ToHex()));
    } else {
      q.digests.push_back(*signal);
    }
    json::object r;
    r["signal"] = signal->ToTyped();
    json::array matches;
    for (const index::Match& m :
         index::MatchQuery(*snapshot, q, radius, banks)) {
      matches.push_back(MatchJson(m));
    }
    r["matches"] = std::move(matches);
    results.push_back(std::move(r));
  }
  json::object out;
  out["results"] = std::move(results);
  return JsonResponse(200, out);
}

Response Hash(const ServiceContext& ctx, const Request& req) {
  if (req.body.empty()) {
    return BadRequest(Invalid("send the image's bytes as the request body"));
  }
  hash::HashRequest hr;
  hr.decode.limits = ctx.config->image_limits;
  auto it = req.query.find("dihedral");
  hr.pdq_options.dihedral = it != req.query.end() && it->second == "true";
  const std::span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(req.body.data()), req.body.size());
  const hash::FileHashes h = hash::HashBytes(bytes, hr);
  json::object out = HashesJson(h);
  if (h.pdq && h.pdq->dihedral) {
    json::object variants;
    for (size_t d = 0; d < h.pdq->dihedral->size(); ++d) {
      variants[hash::DihedralName(static_cast<hash::Dihedral>(d))] =
          (*h.pdq->dihedral)[d].ToHex();
    }
    out["pdq_dihedral"] = std::move(variants);
  }
  if (h.error) {
    // The error shape, plus the digests, which do not need pixels.
    json::object err;
    err["message"] = "image could not be hashed: " + h.error->message;
    err["type"] = "invalid_request_error";
    err["param"] = nullptr;
    err["code"] = ErrorCodeName(h.error->code);
    json::object body;
    body["error"] = std::move(err);
    body["hashes"] = std::move(out);
    return JsonResponse(422, body);
  }
  return JsonResponse(200, out);
}

}  // namespace

void AddHashRoutes(Router& router, ServiceContext& ctx) {
  router.Add(Route{"POST", "/v1/match", Access::kClient, Cost::kWork,
                   [&ctx](const Request& r) { return Match(ctx, r); }});
  router.Add(Route{"POST", "/v1/hash", Access::kClient, Cost::kWork,
                   [&ctx](const Request& r) { return Hash(ctx, r); }});
}

}  // namespace bulwark::service

// POST /v1/check: Bulwark's native check. JSON
//   {account?, direction?: "input"|"output"|"dataset", text?, image?
//    (base64 or a data: URI), prompt?}
// or multipart/form-data with the same fields and the image as a file part.
// Answers {verdict, categories, reasons, signals, errors, hashes,
// elapsed_ms}.
#include <chrono>

#include "bulwark/core/base64.h"
#include "bulwark/policy/check.h"
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"
#include "bulwark/service/multipart.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

Result<detect::Direction> ParseDirection(const std::string& s) {
  if (s == "input") return detect::Direction::kInput;
  if (s == "output") return detect::Direction::kOutput;
  if (s == "dataset") return detect::Direction::kDataset;
  return MakeError(ErrorCode::kInvalidArgument,
                   "'direction' must be \"input\", \"output\" or \"dataset\"");
}

// Image bytes given as base64 text or a data: URI.
Result<std::vector<uint8_t>> DecodeImageText(const std::string& text,
                                             size_t max_bytes) {
  if (text.rfind("data:", 0) == 0) {
    auto uri = ParseDataUri(text, max_bytes);
    if (!uri.ok()) return uri.error();
    return std::move(uri->bytes);
  }
  return Base64Decode(text, max_bytes);
}

Result<detect::Item> FromJson(const std::string& body, size_t max_image,
                              std::string& bad_param) {
  auto obj = ParseJsonObject(body);
  if (!obj.ok()) return obj.error();
  detect::Item item;
  for (const auto& [key, value] : *obj) {
    if (key != "account" && key != "direction" && key != "text" &&
        key != "image" && key != "prompt") {
      bad_param = std::string(key);
      std::string msg = "unknown field '";
      msg += std::string(key);
      msg += "'";
      return MakeError(ErrorCode::kInvalidArgument, msg);
    }
  }
  for (const char* f : {"account", "direction", "text", "image", "prompt"}) {
    auto v = OptionalString(*obj, f);
    if (!v.ok()) {
      bad_param = f;
      return v.error();
    }
    if (!*v) continue;
    const std::string field = f;
    if (field == "account") {
      item.account = **v;
    } else if (field == "direction") {
      auto d = ParseDirection(**v);
      if (!d.ok()) {
        bad_param = f;
        return d.error();
      }
      item.direction = *d;
    } else if (field == "text") {
      item.text = **v;
    } else if (field == "prompt") {
      item.prompt = **v;
    } else {
      auto bytes = DecodeImageText(**v, max_image);
      if (!bytes.ok()) {
        bad_param = f;
        return bytes.error();
      }
      item.image = std::move(*bytes);
    }
  }
  return item;
}

Result<detect::Item> FromForm(const std::string& content_type,
                              const std::string& body, std::string& bad_param) {
  auto parts = ParseMultipart(content_type, body);
  if (!parts.ok()) return parts.error();
  detect::Item item;
  for (FormPart& p : *parts) {
    if (p.name == "image") {
      item.image = std::vector<uint8_t>(p.data.begin(), p.data.end());
    } else if (p.name == "text") {
      item.text = std::move(p.data);
    } else if (p.name == "prompt") {
      item.prompt = std::move(p.data);
    } else if (p.name == "account") {
      item.account = std::move(p.data);
    } else if (p.name == "direction") {
      auto d = ParseDirection(p.data);
      if (!d.ok()) {
        bad_param = "direction";
        return d.error();
      }
      item.direction = *d;
    } else {
      bad_param = p.name;
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown form field '" + p.name + "'");
    }
  }
  return item;
}

}  // namespace

void AddCheckRoutes(Router& router, ServiceContext& ctx) {
  router.Add(Route{
      "POST", "/v1/check", Access::kClient, Cost::kWork,
      [&ctx](const Request& req) {
        if (auto busy = UnlessReady(ctx)) return *busy;
        const auto start = std::chrono::steady_clock::now();
        const std::string type = req.header("content-type").value_or("");
        std::string bad_param;
        Result<detect::Item> item =
            type.rfind("multipart/form-data", 0) == 0
                ? FromForm(type, req.body, bad_param)
                : FromJson(req.body, ctx.config->image_limits.max_bytes,
                           bad_param);
        if (!item.ok()) return BadRequest(item.error(), bad_param);
        if (!item->text && !item->image && !item->prompt) {
          return BadRequest(
              MakeError(ErrorCode::kInvalidArgument,
                        "give 'text', 'image' or 'prompt' (or several)"));
        }
        item->account = RequestAccount(req, item->account);
        if (auto refused = Admit(ctx.accountability, req, item->account)) {
          return *refused;
        }
        const policy::CheckResult r = CheckItem(ctx, *item);
        RecordVerdict(ctx, r.verdict);
        auto acted =
            ActOnVerdict(ctx.accountability, req, *item, r, ContextClock(ctx));
        if (!acted.ok()) {
          return ErrorResponse(
              500,
              "the verdict could not be recorded: " + acted.error().message,
              "not_recorded");
        }
        json::object out = VerdictJson(r.verdict);
        if (!acted->empty()) out["accountability"] = std::move(*acted);
        out["signals"] = FindingsJson(r.reports);
        out["errors"] = ErrorsJson(r.reports);
        json::object hashes;
        for (const detect::DetectorReport& rep : r.reports) {
          if (rep.hashes) hashes = HashesJson(*rep.hashes);
        }
        out["hashes"] = std::move(hashes);
        out["elapsed_ms"] = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        return JsonResponse(200, out);
      }});
}

}  // namespace bulwark::service

// POST /v1/moderations: a drop-in for OpenAI's moderation endpoint.
// `input` is a string, an array of strings (one result each), or an array
// of parts {type:"text",text} / {type:"image_url",image_url:{url}} (one
// result for all parts together, as OpenAI's omni models answer). Image
// URLs are data: URIs, or http(s) URLs on a host listed in [images]
// allow_url_hosts; any other remote URL is refused before a connection is
// made (server-side request forgery; see image_fetcher.h). Each result
// carries OpenAI's 13 categories plus a `bulwark` object with the verdict,
// reasons and matches.
#include <openssl/rand.h>

#include <algorithm>

#include "bulwark/core/base64.h"
#include "bulwark/core/hex.h"
#include "bulwark/policy/check.h"
#include "bulwark/service/context.h"
#include "bulwark/service/image_fetcher.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

constexpr const char* kCategories[] = {"harassment",
                                       "harassment/threatening",
                                       "hate",
                                       "hate/threatening",
                                       "illicit",
                                       "illicit/violent",
                                       "self-harm",
                                       "self-harm/intent",
                                       "self-harm/instructions",
                                       "sexual",
                                       "sexual/minors",
                                       "violence",
                                       "violence/graphic"};

constexpr const char* kModel = "bulwark-safeguard-1";

std::string ModerationId() {
  uint8_t bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "modr-0";
  return "modr-" + HexEncode(std::span<const uint8_t>(bytes, sizeof bytes));
}

Error Invalid(const std::string& msg) {
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

// A remote image URL: fetched only from an allowed host, and the errors name
// the host so the operator can tell a client's mistake from a CDN's outage.
Result<std::vector<uint8_t>> FetchRemote(const std::string& where,
                                         const std::string& url,
                                         const ServiceContext& ctx) {
  std::string prefix = where;
  prefix += ".image_url.url: ";
  auto parsed = ParseImageUrl(url);
  if (!parsed.ok()) {
    std::string msg = prefix;
    msg += parsed.error().message;
    msg += "; use a data: URI or an http(s) URL on an allowed host";
    return Invalid(msg);
  }
  FetchOptions options;
  options.allow_hosts = ctx.config->image_url_allow_hosts;
  // A fetched image may be no larger than one sent in the body could be.
  options.max_bytes = std::min<uint64_t>(ctx.config->image_limits.max_bytes,
                                         ctx.config->server.max_body_bytes);
  if (!HostAllowed(parsed->host, options.allow_hosts)) {
    std::string msg = prefix;
    msg += "host '";
    msg += parsed->host;
    msg +=
        "' is not in [images] allow_url_hosts; Bulwark does not fetch "
        "remote URLs from other hosts (send the image as a data: URI)";
    return Invalid(msg);
  }
  auto bytes = FetchImage(url, options);
  if (!bytes.ok()) {
    return MakeError(bytes.error().code, prefix + bytes.error().message);
  }
  return bytes;
}

// One item from an array of parts; text parts are joined with newlines.
Result<detect::Item> FromParts(const json::array& parts,
                               const ServiceContext& ctx) {
  const size_t max_image = ctx.config->image_limits.max_bytes;
  detect::Item item;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string where = "input[" + std::to_string(i) + "]";
    if (!parts[i].is_object()) return Invalid(where + " must be an object");
    const json::object& p = parts[i].as_object();
    const json::value* type = p.if_contains("type");
    if (type == nullptr || !type->is_string()) {
      return Invalid(where + ".type must be \"text\" or \"image_url\"");
    }
    if (type->as_string() == "text") {
      const json::value* text = p.if_contains("text");
      if (text == nullptr || !text->is_string()) {
        return Invalid(where + ".text must be a string");
      }
      if (item.text) *item.text += "\n";
      item.text = item.text.value_or("") + std::string(text->as_string());
    } else if (type->as_string() == "image_url") {
      const json::value* iu = p.if_contains("image_url");
      const json::value* url = nullptr;
      if (iu != nullptr && iu->is_object()) {
        url = iu->as_object().if_contains("url");
      } else if (iu != nullptr && iu->is_string()) {
        url = iu;  // a bare string is accepted too
      }
      if (url == nullptr || !url->is_string()) {
        return Invalid(where + ".image_url.url must be a string");
      }
      const std::string u(url->as_string());
      // Checked before any fetch, so a second image costs no connection.
      if (item.image) {
        return Invalid(where + ": one image per input is supported");
      }
      if (u.rfind("data:", 0) != 0) {
        auto fetched = FetchRemote(where, u, ctx);
        if (!fetched.ok()) return fetched.error();
        item.image = std::move(*fetched);
        continue;
      }
      auto uri = ParseDataUri(u, max_image);
      if (!uri.ok()) {
        return MakeError(uri.error().code,
                         where + ".image_url.url: " + uri.error().message);
      }
      item.image = std::move(uri->bytes);
    } else {
      return Invalid(where + ".type must be \"text\" or \"image_url\"");
    }
  }
  return item;
}

Result<std::vector<detect::Item>> ParseInputs(const json::object& req,
                                              const ServiceContext& ctx) {
  const json::value* input = req.if_contains("input");
  if (input == nullptr) return Invalid("'input' is required");
  std::vector<detect::Item> items;
  if (input->is_string()) {
    detect::Item item;
    item.text = std::string(input->as_string());
    items.push_back(std::move(item));
    return items;
  }
  if (!input->is_array() || input->as_array().empty()) {
    return Invalid(
        "'input' must be a string, an array of strings or an array of "
        "content parts");
  }
  const json::array& arr = input->as_array();
  if (arr[0].is_object()) {
    auto item = FromParts(arr, ctx);
    if (!item.ok()) return item.error();
    items.push_back(std::move(*item));
    return items;
  }
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      return Invalid("input[" + std::to_string(i) +
                     "] must be a string (or every element a content part)");
    }
    detect::Item item;
    item.text = std::string(arr[i].as_string());
    items.push_back(std::move(item));
  }
  return items;
}

json::object ModerationResult(const detect::Item& item,
                              const policy::CheckResult& r) {
  json::object categories, scores, applied;
  // A category is on whenever a rule named it, including an "allow" rule
  // that only labels (adult sexual content under the default policy);
  // `flagged` follows the verdict, so it is what a client should act on.
  const bool flagged = r.verdict.flagged();
  for (const char* c : kCategories) {
    const bool on =
        std::find(r.verdict.categories.begin(), r.verdict.categories.end(),
                  c) != r.verdict.categories.end();
    categories[c] = on;
    scores[c] = on ? 1.0 : 0.0;
    json::array types;
    if (item.text) types.push_back("text");
    if (item.image) types.push_back("image");
    applied[c] = std::move(types);
  }
  json::object out;
  out["flagged"] = flagged;
  out["categories"] = std::move(categories);
  out["category_scores"] = std::move(scores);
  out["category_applied_input_types"] = std::move(applied);
  json::object bulwark = VerdictJson(r.verdict);
  json::array matches;
  for (const detect::DetectorReport& rep : r.reports) {
    for (const detect::Finding& f : rep.findings) {
      if (f.match) matches.push_back(MatchJson(*f.match));
    }
  }
  bulwark["matches"] = std::move(matches);
  bulwark["findings"] = FindingsJson(r.reports);
  bulwark["errors"] = ErrorsJson(r.reports);
  out["bulwark"] = std::move(bulwark);
  return out;
}

}  // namespace

void AddModerationRoutes(Router& router, ServiceContext& ctx) {
  router.Add(Route{
      "POST", "/v1/moderations", Access::kClient, Cost::kWork,
      [&ctx](const Request& req) {
        if (auto busy = UnlessReady(ctx)) return *busy;
        auto body = ParseJsonObject(req.body);
        if (!body.ok()) return BadRequest(body.error());
        auto items = ParseInputs(*body, ctx);
        if (!items.ok()) return BadRequest(items.error(), "input");
        auto user = OptionalString(*body, "user");
        if (!user.ok()) return BadRequest(user.error(), "user");
        const std::string account = RequestAccount(req, user->value_or(""));
        if (auto refused = Admit(ctx.accountability, req, account)) {
          return *refused;
        }
        json::array results;
        for (detect::Item& item : *items) {
          item.account = account;
          const policy::CheckResult r = CheckItem(ctx, item);
          RecordVerdict(ctx, r.verdict);
          auto acted =
              ActOnVerdict(ctx.accountability, req, item, r, ContextClock(ctx));
          if (!acted.ok()) {
            return ErrorResponse(
                500,
                "the verdict could not be recorded: " + acted.error().message,
                "not_recorded");
          }
          json::object result = ModerationResult(item, r);
          if (!acted->empty()) {
            result["bulwark"].as_object()["accountability"] = std::move(*acted);
          }
          results.push_back(std::move(result));
        }
        json::object out;
        out["id"] = ModerationId();
        const auto model = OptionalString(*body, "model");
        out["model"] = model.ok() && *model ? **model : std::string(kModel);
        out["results"] = std::move(results);
        return JsonResponse(200, out);
      }});
}

}  // namespace bulwark::service

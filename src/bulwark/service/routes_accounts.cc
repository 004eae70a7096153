// Conduct administration, for admin keys:
//   GET  /v1/accounts/{id}             status, live strikes, history
//   POST /v1/accounts/{id}/ban  {reason}
//   POST /v1/accounts/{id}/lift {reason}
// Every ban and lift is recorded with who did it and why, in the conduct
// store and the audit log, before the answer.
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace json = boost::json;
namespace {

Response Failed(const Error& e) {
  if (e.code == ErrorCode::kNotFound) {
    return ErrorResponse(404, e.message, "not_found");
  }
  if (e.code == ErrorCode::kInvalidArgument) {
    return ErrorResponse(409, e.message, "conflict");
  }
  return ErrorResponse(500, e.message, "internal_error");
}

Response Act(ServiceContext& ctx, const Request& req, bool ban) {
  const std::string& account = req.params.at("id");
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return BadRequest(body.error());
  for (const auto& [k, v] : *body) {
    if (k != "reason") {
      return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                  "unknown field '" + std::string(k) + "'"),
                        std::string(k));
    }
  }
  auto reason = OptionalString(*body, "reason");
  if (!reason.ok() || !*reason || (*reason)->empty()) {
    return BadRequest(
        MakeError(ErrorCode::kInvalidArgument, "'reason' is required: say why"),
        "reason");
  }
  enforce::ConductStore& store = *ctx.accountability.conduct;
  auto done = ban ? store.Ban(account, Actor(req), **reason)
                  : store.Lift(account, Actor(req), **reason);
  if (!done.ok()) return Failed(done.error());
  Status s =
      AuditAction(ctx.accountability, req, ban ? "account.ban" : "account.lift",
                  "account:" + account, **reason);
  if (!s.ok()) return Failed(s.error());
  auto shown = store.Show(account);
  if (!shown.ok()) return Failed(shown.error());
  return JsonResponse(200, AccountToJson(*shown));
}

}  // namespace

void AddAccountRoutes(Router& router, ServiceContext& ctx) {
  if (ctx.accountability.conduct == nullptr) return;
  router.Add(Route{"GET", "/v1/accounts/{id}", Access::kAdmin, Cost::kWork,
                   [&ctx](const Request& r) {
                     auto st =
                         ctx.accountability.conduct->Show(r.params.at("id"));
                     if (!st.ok()) return Failed(st.error());
                     return JsonResponse(200, AccountToJson(*st));
                   }});
  router.Add(Route{"POST", "/v1/accounts/{id}/ban", Access::kAdmin, Cost::kWork,
                   [&ctx](const Request& r) { return Act(ctx, r, true); }});
  router.Add(Route{"POST", "/v1/accounts/{id}/lift", Access::kAdmin,
                   Cost::kWork,
                   [&ctx](const Request& r) { return Act(ctx, r, false); }});
}

}  // namespace bulwark::service

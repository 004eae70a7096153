// Operations routes, no key needed: GET /healthz (the process answers),
// GET /readyz (the index is loaded: send traffic), GET /metrics
// (Prometheus), GET /openapi.json (the API description, docs/openapi.json).
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"
#include "bulwark/service/openapi.h"

namespace bulwark::service {
namespace json = boost::json;

void AddOpsRoutes(Router& router, ServiceContext& ctx) {
  router.Add(Route{"GET", "/healthz", Access::kPublic, Cost::kCheap,
                   [](const Request&) {
                     json::object o;
                     o["status"] = "ok";
                     return JsonResponse(200, o);
                   }});
  router.Add(Route{
      "GET", "/readyz", Access::kPublic, Cost::kCheap, [&ctx](const Request&) {
        json::object o;
        const bool ready = ctx.ready.load();
        o["status"] = ready ? "ready" : "loading";
        if (ready) {
          o["index_entries"] = ctx.matcher->snapshot()->entry_count();
        }
        return JsonResponse(ready ? 200 : 503, o);
      }});
  router.Add(Route{
      "GET", "/metrics", Access::kPublic, Cost::kCheap, [&ctx](const Request&) {
        if (ctx.ready.load()) {
          const auto snap = ctx.matcher->snapshot();
          ctx.metrics->SetGauge("bulwark_index_entries",
                                "Enabled entries in enabled banks", {},
                                static_cast<double>(snap->entry_count()));
          ctx.metrics->SetGauge("bulwark_index_change_seq",
                                "Store change sequence the index reflects", {},
                                static_cast<double>(snap->seq()));
        }
        Response r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = ctx.metrics->Render();
        return r;
      }});
  router.Add(Route{"GET", "/openapi.json", Access::kPublic, Cost::kCheap,
                   [](const Request&) {
                     Response r;
                     r.body = std::string(OpenApiJson());
                     return r;
                   }});
}

}  // namespace bulwark::service

#include "bulwark/service/context.h"

namespace bulwark::service {

std::optional<Response> UnlessReady(const ServiceContext& ctx) {
  if (ctx.ready.load()) return std::nullopt;
  Response r = ErrorResponse(503, "the banks are still loading; retry shortly",
                             "loading");
  r.headers.emplace("Retry-After", std::to_string(1));
  return r;
}

policy::CheckResult CheckItem(const ServiceContext& ctx, detect::Item& item) {
  if (ctx.shared_decode && item.image && !item.decoded) {
    item.decoded = std::make_shared<detect::DecodedImage>(*ctx.shared_decode);
  }
  return policy::RunCheck(
      ctx.detectors, *ctx.policy, item,
      [&ctx](const detect::DetectorReport& report, double seconds) {
        ctx.metrics->ObserveDetector(report.detector, seconds);
        for (const detect::Finding& f : report.findings) {
          if (f.kind == "image.class")
            ctx.metrics->ObserveScore(f.category, f.score);
        }
      });
}

void RecordVerdict(const ServiceContext& ctx, const policy::Verdict& v) {
  const char* action = policy::ActionName(v.action);
  if (v.categories.empty()) ctx.metrics->CountVerdict(action, "");
  for (const std::string& c : v.categories) {
    ctx.metrics->CountVerdict(action, c);
  }
}

const Clock& ContextClock(const ServiceContext& ctx) {
  static const SystemClock system;  // stateless: reads the OS clock
  return ctx.clock != nullptr ? *ctx.clock : system;
}

Router MakeRouter(ServiceContext& ctx) {
  Router router;
  AddOpsRoutes(router, ctx);
  AddCheckRoutes(router, ctx);
  AddModerationRoutes(router, ctx);
  AddHashRoutes(router, ctx);
  AddBankRoutes(router, ctx);
  AddReviewRoutes(router, ctx);
  AddAccountRoutes(router, ctx);
  AddProvenanceRoutes(router, ctx);
  return router;
}

}  // namespace bulwark::service

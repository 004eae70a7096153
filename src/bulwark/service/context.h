// What the routes of a running service share. Owned by `bulwark serve`;
// everything here outlives the server.
#pragma once

#include <atomic>
#include <optional>
#include <vector>

#include "bulwark/bank/store.h"
#include "bulwark/detect/detector.h"
#include "bulwark/index/matcher.h"
#include "bulwark/policy/check.h"
#include "bulwark/policy/policy.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/service/accountability.h"
#include "bulwark/service/config.h"
#include "bulwark/service/metrics.h"
#include "bulwark/service/router.h"

namespace bulwark::service {

struct ServiceContext {
  bank::Store* store = nullptr;
  index::Matcher* matcher = nullptr;
  const policy::Policy* policy = nullptr;
  const ServiceConfig* config = nullptr;
  Metrics* metrics = nullptr;
  std::vector<const detect::Detector*> detectors;  // run in this order
  std::atomic<bool> ready{false};                  // the index is loaded
  // Conduct, incidents and the audit log; parts left null are off.
  Accountability accountability;
  const Clock* clock = nullptr;  // null: the system clock
  // Set when the detectors both hash and classify images: each image is
  // then decoded once, with these options, for all of them.
  std::optional<media::DecodeOptions> shared_decode;
  // Signs images on POST /v1/provenance/sign; null: not configured.
  const provenance::Signer* signer = nullptr;
  provenance::SignOptions sign_options;
};

// The context's clock, or the system's.
const Clock& ContextClock(const ServiceContext& context);

// 503 while the index is still loading (routes that match call this
// before touching matcher or detectors).
std::optional<Response> UnlessReady(const ServiceContext& context);

// Runs the context's detectors and policy on `item` (giving it the shared
// decode when there is one), recording each detector's time and the
// classifier's scores in the metrics.
policy::CheckResult CheckItem(const ServiceContext& context,
                              detect::Item& item);

// Counts the verdict in bulwark_verdicts_total, once per category.
void RecordVerdict(const ServiceContext& context, const policy::Verdict& v);

// Every route of the service: /v1/check, /v1/moderations, /v1/hash,
// /v1/match, the bank administration, /healthz, /readyz, /metrics,
// /openapi.json.
Router MakeRouter(ServiceContext& context);

// The route groups MakeRouter adds, one file each.
void AddCheckRoutes(Router& router, ServiceContext& context);
void AddModerationRoutes(Router& router, ServiceContext& context);
void AddHashRoutes(Router& router, ServiceContext& context);
void AddBankRoutes(Router& router, ServiceContext& context);
void AddOpsRoutes(Router& router, ServiceContext& context);
void AddReviewRoutes(Router& router, ServiceContext& context);
void AddAccountRoutes(Router& router, ServiceContext& context);
void AddProvenanceRoutes(Router& router, ServiceContext& context);

}  // namespace bulwark::service

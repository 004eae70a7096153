// POST /v1/provenance/sign: an image (the raw body, JPEG or PNG) in, the
// same image with a signed C2PA manifest declaring it AI-generated out
// (docs/PROVENANCE.md). The signing certificate and key come from the
// config's [provenance] section; without them the route answers 503.
#include "bulwark/media/decoder.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/service/context.h"
#include "bulwark/service/json_io.h"

namespace bulwark::service {
namespace {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kLimitExceeded:
      return 413;
    case ErrorCode::kUnsupported:
      return 415;
    case ErrorCode::kInternal:
    case ErrorCode::kIo:
      return 500;
    default:
      return 400;
  }
}

Response Sign(const ServiceContext& ctx, const Request& req) {
  if (ctx.signer == nullptr) {
    return ErrorResponse(503,
                         "provenance signing is not configured: set "
                         "[provenance] cert and key in the service config",
                         "not_configured");
  }
  if (req.body.empty()) {
    return BadRequest(MakeError(ErrorCode::kInvalidArgument,
                                "send the image's bytes as the request body"));
  }
  const std::span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(req.body.data()), req.body.size());
  auto signed_image =
      provenance::SignImage(bytes, *ctx.signer, ctx.sign_options);
  if (!signed_image.ok()) {
    const Error& e = signed_image.error();
    return ErrorResponse(StatusFor(e.code),
                         "image could not be signed: " + e.message,
                         ErrorCodeName(e.code));
  }
  Response r;
  r.content_type = std::string("image/") +
                   media::ImageFormatName(media::SniffFormat(*signed_image));
  r.body.assign(reinterpret_cast<const char*>(signed_image->data()),
                signed_image->size());
  return r;
}

}  // namespace

void AddProvenanceRoutes(Router& router, ServiceContext& ctx) {
  router.Add(Route{"POST", "/v1/provenance/sign", Access::kClient, Cost::kWork,
                   [&ctx](const Request& r) { return Sign(ctx, r); }});
}

}  // namespace bulwark::service

// The OpenAPI 3 description of the service, served at GET /openapi.json.
// Its source is docs/openapi.json, compiled in at build time so the served
// document and the documented one cannot drift apart.
#pragma once

#include <string_view>

namespace bulwark::service {

std::string_view OpenApiJson();

}  // namespace bulwark::service

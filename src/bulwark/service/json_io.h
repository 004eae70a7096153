// JSON in and out of the routes (Boost.JSON): parsing request bodies into
// objects with errors a client can act on, and rendering Bulwark's values.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/detect/finding.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/index/matcher.h"
#include "bulwark/policy/verdict.h"
#include "bulwark/service/http.h"

namespace bulwark::service {

// The body as a JSON object; kInvalidArgument saying what is wrong
// ("request body is not valid JSON: ...", "... must be a JSON object").
Result<boost::json::object> ParseJsonObject(const std::string& body);

// Typed field access with messages naming the field ("'direction' must be
// a string"). Absent fields give nullopt.
Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                  const char* field);
Result<std::optional<int64_t>> OptionalInt(const boost::json::object& o,
                                           const char* field);

Response JsonResponse(int status, const boost::json::value& body);
// 400 with `param` naming the field when the error is about one.
Response BadRequest(const Error& error, const std::string& param = "");

boost::json::object MatchJson(const index::Match& match);
boost::json::object HashesJson(const hash::FileHashes& hashes);
boost::json::array FindingsJson(
    const std::vector<detect::DetectorReport>& reports);
boost::json::array ErrorsJson(
    const std::vector<detect::DetectorReport>& reports);
boost::json::object VerdictJson(const policy::Verdict& verdict);

}  // namespace bulwark::service

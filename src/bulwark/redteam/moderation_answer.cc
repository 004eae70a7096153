#include "bulwark/redteam/moderation_answer.h"

#include <boost/json.hpp>

namespace bulwark::redteam {
namespace json = boost::json;
namespace {

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorrupt, "moderation answer: " + what);
}

}  // namespace

Result<Outcome> ParseModerationAnswer(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  if (ec) return Corrupt("not JSON (" + ec.message() + ")");
  const json::object* top = root.if_object();
  const json::value* results = top ? top->if_contains("results") : nullptr;
  if (results == nullptr || !results->is_array() ||
      results->get_array().empty() || !results->get_array()[0].is_object()) {
    return Corrupt("no results[0] object");
  }
  const json::object& r0 = results->get_array()[0].get_object();
  const json::value* categories = r0.if_contains("categories");
  if (categories == nullptr || !categories->is_object()) {
    return Corrupt("no results[0].categories object");
  }
  const json::value* minors =
      categories->get_object().if_contains("sexual/minors");
  if (minors == nullptr || !minors->is_bool()) {
    return Corrupt("no boolean results[0].categories[\"sexual/minors\"]");
  }

  Outcome out;
  out.flagged = minors->get_bool();
  out.blocked = out.flagged;
  const json::value* bulwark = r0.if_contains("bulwark");
  if (bulwark != nullptr && bulwark->is_object()) {
    const json::object& b = bulwark->get_object();
    if (const json::value* v = b.if_contains("verdict");
        v != nullptr && v->is_string()) {
      const json::string& verdict = v->get_string();
      out.blocked = out.flagged && (verdict == "block" || verdict == "report");
      out.detail = "verdict " + std::string(verdict);
    }
    if (const json::value* reasons = b.if_contains("reasons");
        reasons != nullptr && reasons->is_array()) {
      std::string joined;
      for (const json::value& r : reasons->get_array()) {
        if (!r.is_string()) continue;
        if (!joined.empty()) joined += "; ";
        joined += r.get_string();
      }
      if (!joined.empty()) out.detail += ": " + joined;
    }
  }
  if (out.detail.empty()) {
    std::string on;
    for (const auto& [name, value] : categories->get_object()) {
      if (!value.is_bool() || !value.get_bool()) continue;
      if (!on.empty()) on += ", ";
      on += name;
    }
    const json::value* flagged = r0.if_contains("flagged");
    const bool any =
        flagged != nullptr && flagged->is_bool() && flagged->get_bool();
    out.detail = on.empty() ? (any ? "flagged, no category" : "not flagged")
                            : "categories: " + on;
  }
  return out;
}

}  // namespace bulwark::redteam

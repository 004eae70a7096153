// The machine-readable report and the --emit-variants lines.
#include <boost/json.hpp>

#include "bulwark/redteam/display_text.h"
#include "bulwark/redteam/report.h"

namespace bulwark::redteam {
namespace json = boost::json;
namespace {

json::string Str(std::string_view s) { return json::string(ValidUtf8(s)); }

json::object MissJson(const Miss& m, bool benign) {
  json::object o;
  o[benign ? "benign" : "seed"] = m.prompt;
  if (!benign) {
    o["chain"] = Str(m.chain);
    o["depth"] = m.depth;
  }
  o["text"] = Str(m.text);
  o["flagged"] = m.flagged;
  o["detail"] = Str(m.detail);
  if (!m.error.empty()) o["error"] = Str(m.error);
  return o;
}

}  // namespace

std::string ReportJson(const RunReport& r,
                       const std::vector<FloorCheck>& checks) {
  json::object o;
  o["target"] = Str(r.target);
  o["depth"] = r.depth;
  o["seed"] = r.seed;
  json::array converters;
  for (const std::string& c : r.converters) converters.push_back(Str(c));
  o["converters"] = std::move(converters);
  o["seed_prompts"] = r.seed_prompts;
  o["variants"] = r.Variants();
  o["blocked"] = r.Blocked();
  o["errors"] = r.Errors();
  o["attack_success_rate"] = r.AttackSuccessRate();
  o["benign"] = json::object{{"prompts", r.benign_prompts},
                             {"flagged", r.benign_flagged},
                             {"errors", r.benign_errors},
                             {"false_positive_rate", r.FalsePositiveRate()}};
  o["floors_hold"] = AllHold(checks);
  json::array cs;
  for (const FloorCheck& c : checks) {
    cs.push_back(json::object{{"suite", Str(c.group.suite)},
                              {"name", Str(c.group.name)},
                              {"variants", c.group.variants},
                              {"blocked", c.group.blocked},
                              {"flagged", c.group.flagged},
                              {"errors", c.group.errors},
                              {"value", c.value},
                              {c.ceiling ? "max" : "min", c.limit},
                              {"ok", c.ok}});
  }
  o["checks"] = std::move(cs);
  json::array chains;
  for (const ChainStats& c : r.chains) {
    chains.push_back(json::object{
        {"chain", Str(c.chain)},
        {"depth", c.converters.size()},
        {"variants", c.variants},
        {"blocked", c.blocked},
        {"flagged", c.flagged},
        {"errors", c.errors},
        {"block_rate",
         c.variants == 0 ? 1.0 : static_cast<double>(c.blocked) / c.variants}});
  }
  o["chains"] = std::move(chains);
  json::array misses;
  for (const Miss& m : r.misses) misses.push_back(MissJson(m, false));
  o["misses"] = std::move(misses);
  json::array fps;
  for (const Miss& m : r.false_positives) fps.push_back(MissJson(m, true));
  o["false_positives"] = std::move(fps);
  return json::serialize(o) + "\n";
}

std::string VariantJsonLine(const Variant& v) {
  json::object o;
  o["set"] = v.benign ? "benign" : "seed";
  o["seed"] = v.prompt;
  o["chain"] = v.benign ? json::string() : Str(v.chain);
  o["depth"] = v.benign ? 0 : v.depth;
  o["text"] = Str(v.text);
  return json::serialize(o);
}

}  // namespace bulwark::redteam

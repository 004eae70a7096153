#include "bulwark/incident/incident_json.h"

#include "bulwark/core/clock.h"

namespace bulwark::incident {
namespace {

namespace json = boost::json;

json::array Strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

// Reading back what DetailsToJson wrote: a missing or mistyped member is
// damage, reported rather than defaulted.
struct Reader {
  const json::object* o;
  bool ok = true;

  std::string Str(const char* key) {
    const json::value* v = o->if_contains(key);
    if (v == nullptr || !v->is_string()) {
      ok = false;
      return {};
    }
    return std::string(v->get_string());
  }
  int64_t Int(const char* key) {
    const json::value* v = o->if_contains(key);
    if (v == nullptr || !v->is_int64()) {
      ok = false;
      return 0;
    }
    return v->get_int64();
  }
  double Num(const char* key) {
    const json::value* v = o->if_contains(key);
    if (v == nullptr || !v->is_number()) {
      ok = false;
      return 0;
    }
    return v->to_number<double>();
  }
  const json::array* Arr(const char* key) {
    const json::value* v = o->if_contains(key);
    if (v == nullptr || !v->is_array()) {
      ok = false;
      return nullptr;
    }
    return &v->get_array();
  }
  std::vector<std::string> StrList(const char* key) {
    std::vector<std::string> out;
    const json::array* a = Arr(key);
    if (a == nullptr) return out;
    for (const json::value& v : *a) {
      if (!v.is_string()) {
        ok = false;
        return out;
      }
      out.emplace_back(v.get_string());
    }
    return out;
  }
};

}  // namespace

json::object DetailsToJson(const NewIncident& n) {
  json::object o;
  o["categories"] = Strings(n.categories);
  o["reasons"] = Strings(n.reasons);
  json::array signals;
  for (const Signal& s : n.signals) {
    signals.push_back(json::object{{"detector", s.detector},
                                   {"kind", s.kind},
                                   {"category", s.category},
                                   {"score", s.score},
                                   {"bank_name", s.bank_name},
                                   {"bank_id", s.bank_id},
                                   {"entry_id", s.entry_id},
                                   {"label", s.label},
                                   {"signal_type", s.signal_type},
                                   {"signal_value", s.signal_value},
                                   {"distance", s.distance}});
  }
  o["signals"] = std::move(signals);
  o["hashes"] = json::object{{"md5", n.hashes.md5},
                             {"sha1", n.hashes.sha1},
                             {"sha256", n.hashes.sha256},
                             {"pdq", n.hashes.pdq},
                             {"text_sha256", n.hashes.text_sha256},
                             {"prompt_sha256", n.hashes.prompt_sha256}};
  json::array matches;
  for (const TextMatch& m : n.text_matches) {
    matches.push_back(json::object{{"field", m.field},
                                   {"view", m.view},
                                   {"rule", m.rule},
                                   {"category", m.category},
                                   {"term", m.term},
                                   {"matched", m.matched},
                                   {"span", json::array{m.begin, m.end}}});
  }
  o["text_matches"] = std::move(matches);
  return o;
}

Status DetailsFromJson(const json::value& value, NewIncident* n) {
  const Error damaged =
      MakeError(ErrorCode::kCorrupt, "an incident record is damaged");
  if (!value.is_object()) return damaged;
  Reader r{&value.get_object()};
  n->categories = r.StrList("categories");
  n->reasons = r.StrList("reasons");
  if (const json::array* a = r.Arr("signals")) {
    for (const json::value& v : *a) {
      if (!v.is_object()) return damaged;
      Reader s{&v.get_object()};
      Signal sig;
      sig.detector = s.Str("detector");
      sig.kind = s.Str("kind");
      sig.category = s.Str("category");
      sig.score = s.Num("score");
      sig.bank_name = s.Str("bank_name");
      sig.bank_id = s.Int("bank_id");
      sig.entry_id = s.Int("entry_id");
      sig.label = s.Str("label");
      sig.signal_type = s.Str("signal_type");
      sig.signal_value = s.Str("signal_value");
      sig.distance = static_cast<int>(s.Int("distance"));
      if (!s.ok) return damaged;
      n->signals.push_back(std::move(sig));
    }
  }
  const json::value* hashes = r.o->if_contains("hashes");
  if (hashes == nullptr || !hashes->is_object()) return damaged;
  Reader h{&hashes->get_object()};
  n->hashes =
      ContentHashes{h.Str("md5"), h.Str("sha1"),        h.Str("sha256"),
                    h.Str("pdq"), h.Str("text_sha256"), h.Str("prompt_sha256")};
  if (!h.ok) return damaged;
  if (const json::array* a = r.Arr("text_matches")) {
    for (const json::value& v : *a) {
      if (!v.is_object()) return damaged;
      Reader m{&v.get_object()};
      TextMatch tm;
      tm.field = m.Str("field");
      tm.view = m.Str("view");
      tm.rule = m.Str("rule");
      tm.category = m.Str("category");
      tm.term = m.Str("term");
      tm.matched = m.Str("matched");
      const json::array* span = m.Arr("span");
      if (!m.ok || span->size() != 2 || !(*span)[0].is_number() ||
          !(*span)[1].is_number()) {
        return damaged;
      }
      tm.begin = (*span)[0].to_number<uint32_t>();
      tm.end = (*span)[1].to_number<uint32_t>();
      n->text_matches.push_back(std::move(tm));
    }
  }
  if (!r.ok) return damaged;
  return Ok{};
}

json::object IncidentToJson(const Incident& incident) {
  json::object o;
  o["id"] = incident.id;
  o["time_ms"] = incident.time_ms;
  o["time"] = FormatUtcMs(incident.time_ms);
  o["account"] = incident.account;
  o["api_key_id"] = incident.api_key_id;
  o["direction"] = detect::DirectionName(incident.direction);
  o["action"] = policy::ActionName(incident.action);
  o["state"] = StateName(incident.state);
  o["generative_ai"] = incident.generative_ai();
  o["media_type"] = incident.media_type;
  o["has_evidence"] = incident.has_evidence;
  o["retain_until_ms"] = incident.retain_until_ms;
  o["retain_until"] = FormatUtcMs(incident.retain_until_ms);
  for (auto& [key, value] : DetailsToJson(incident)) {
    o[key] = std::move(value);
  }
  json::array decisions;
  for (const DecisionRecord& d : incident.decisions) {
    decisions.push_back(json::object{{"decision", DecisionName(d.decision)},
                                     {"note", d.note},
                                     {"actor", d.actor},
                                     {"time_ms", d.time_ms},
                                     {"time", FormatUtcMs(d.time_ms)}});
  }
  o["decisions"] = std::move(decisions);
  return o;
}

}  // namespace bulwark::incident

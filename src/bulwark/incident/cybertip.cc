#include "bulwark/incident/cybertip.h"

#include <expat.h>

#include <algorithm>
#include <map>
#include <memory>

#include "bulwark/core/clock.h"
#include "bulwark/core/text_escape.h"
#include "bulwark/core/utf8.h"

namespace bulwark::incident {

const char* const kCybertipIncidentTypes[8] = {
    kChildPornographyIncident,
    "Child Sex Trafficking",
    "Child Sex Tourism",
    "Child Sexual Molestation",
    "Misleading Domain Name",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts",
    "Unsolicited Obscene Material Sent to a Child",
};

namespace {

// ---- the documented structure (the subset of the schema a draft uses;
// elements Bulwark never writes are accepted in their place, unchecked)

struct ChildSpec {
  const char* name;
  int min;  // occurrences
  int max;  // -1: unbounded
};
using Sequence = std::vector<ChildSpec>;

const std::map<std::string, Sequence>& Schema() {
  static const std::map<std::string, Sequence> schema = {
      {"cybertiplineDraft", {{"report", 1, 1}, {"fileDetails", 0, -1}}},
      {"report",
       {{"batchedReport", 0, 1},
        {"incidentSummary", 1, 1},
        {"internetDetails", 0, -1},
        {"lawEnforcement", 0, 1},
        {"reporter", 1, 1},
        {"personOrUserReported", 0, 1},
        {"intendedRecipient", 0, -1},
        {"victim", 0, -1},
        {"additionalInfo", 0, 1}}},
      {"incidentSummary",
       {{"incidentType", 1, 1},
        {"platform", 0, 1},
        {"escalateToHighPriority", 0, 1},
        {"reportAnnotations", 0, 1},
        {"incidentDateTime", 1, 1},
        {"incidentDateTimeDescription", 0, 1}}},
      {"reporter",
       {{"reportingPerson", 1, 1},
        {"contactPerson", 0, 1},
        {"companyTemplate", 0, 1},
        {"termsOfService", 0, 1},
        {"legalURL", 0, 1}}},
      // NCMEC's person type; the draft requires the reporter's email,
      // which NCMEC needs to reach the reporter.
      {"reportingPerson",
       {{"firstName", 0, 1},
        {"lastName", 0, 1},
        {"phone", 0, -1},
        {"email", 1, -1},
        {"address", 0, -1},
        {"age", 0, 1},
        {"dateOfBirth", 0, 1}}},
      {"personOrUserReported",
       {{"personOrUserReportedPerson", 0, 1},
        {"vehicleDescription", 0, 1},
        {"espIdentifier", 0, 1},
        {"espService", 0, 1},
        {"compromisedAccount", 0, 1},
        {"screenName", 0, 1},
        {"displayName", 0, -1},
        {"profileUrl", 0, -1},
        {"profileBio", 0, 1},
        {"ipCaptureEvent", 0, -1},
        {"deviceId", 0, -1},
        {"thirdPartyUserReported", 0, 1},
        {"priorCTReports", 0, -1},
        {"groupIdentifier", 0, 1},
        {"estimatedLocation", 0, 1},
        {"allEmailsReported", 0, 1},
        {"associatedAccount", 0, -1},
        {"additionalInfo", 0, 1}}},
      // reportId and fileId are NCMEC's to assign at submission, so a
      // draft may leave them out; it must name the file by its hashes.
      {"fileDetails",
       {{"reportId", 0, 1},
        {"fileId", 0, 1},
        {"originalFileName", 0, 1},
        {"uploadedToEspTimestamp", 0, 1},
        {"locationOfFile", 0, 1},
        {"fileViewedByEsp", 0, 1},
        {"exifViewedByEsp", 0, 1},
        {"publiclyAvailable", 0, 1},
        {"fileRelevance", 0, 1},
        {"fileAnnotations", 0, 1},
        {"industryClassification", 0, 1},
        {"originalFileHash", 1, -1},
        {"ipCaptureEvent", 0, 1},
        {"deviceId", 0, -1},
        {"details", 0, -1},
        {"additionalInfo", 0, -1}}},
      {"fileAnnotations",
       {{"animeDrawingVirtualHentai", 0, 1},
        {"potentialMeme", 0, 1},
        {"viral", 0, 1},
        {"possibleSelfProduction", 0, 1},
        {"physicalHarm", 0, 1},
        {"violenceGore", 0, 1},
        {"bestiality", 0, 1},
        {"liveStreaming", 0, 1},
        {"infant", 0, 1},
        {"generativeAi", 0, 1}}},
  };
  return schema;
}

// Elements that must carry text.
bool NeedsText(const std::string& name) {
  static const char* const kLeaves[] = {"incidentType",
                                        "incidentDateTime",
                                        "email",
                                        "platform",
                                        "espIdentifier",
                                        "espService",
                                        "originalFileHash",
                                        "uploadedToEspTimestamp",
                                        "firstName",
                                        "lastName",
                                        "phone",
                                        "additionalInfo"};
  return std::find_if(std::begin(kLeaves), std::end(kLeaves),
                      [&](const char* l) { return name == l; }) !=
         std::end(kLeaves);
}

// ---- writing

class XmlWriter {
 public:
  void Open(const std::string& name, const std::string& attrs = "") {
    Indent();
    out_ += "<" + name + attrs + ">\n";
    stack_.push_back(name);
  }
  void Close() {
    const std::string name = stack_.back();
    stack_.pop_back();
    Indent();
    out_ += "</" + name + ">\n";
  }
  void Leaf(const std::string& name, std::string_view text,
            const std::string& attrs = "") {
    Indent();
    out_ += "<" + name + attrs + ">" + XmlEscape(text) + "</" + name + ">\n";
  }
  void Empty(const std::string& name) {
    Indent();
    out_ += "<" + name + "/>\n";
  }
  std::string Take() { return std::move(out_); }
  void Raw(const std::string& s) { out_ += s; }

 private:
  void Indent() { out_.append(2 * stack_.size(), ' '); }
  std::string out_;
  std::vector<std::string> stack_;
};

// What the draft says about the signals, from their structured fields only
// (never a reason line, which may quote the matched text).
std::string DescribeSignal(const Signal& s) {
  if (s.kind == "hash.match") {
    std::string out = "hash match in bank '" + s.bank_name + "' (category " +
                      s.category + ", entry " + std::to_string(s.entry_id) +
                      ", " + s.signal_type;
    if (s.signal_type == "pdq") {
      out += " distance " + std::to_string(s.distance);
    }
    return out + ")";
  }
  return s.detector + " signal " + s.kind + " (" + s.category + ")";
}

std::string AdditionalInfo(const Incident& incident) {
  std::string out = "Draft prepared by Bulwark from incident " +
                    std::to_string(incident.id) +
                    "; to be reviewed by a person before submission. ";
  out += "Verdict: " + std::string(policy::ActionName(incident.action));
  if (!incident.categories.empty()) {
    out += " (";
    for (size_t i = 0; i < incident.categories.size(); ++i) {
      out += (i ? ", " : "") + incident.categories[i];
    }
    out += ")";
  }
  out +=
      ". Direction: " + std::string(detect::DirectionName(incident.direction));
  if (incident.generative_ai()) {
    out += " (content produced by a generative AI model)";
  }
  out += ".";
  if (!incident.signals.empty()) {
    out += " Detected by: ";
    for (size_t i = 0; i < incident.signals.size(); ++i) {
      out += (i ? "; " : "") + DescribeSignal(incident.signals[i]);
    }
    out += ".";
  }
  if (!incident.hashes.text_sha256.empty()) {
    out += " SHA-256 of the text: " + incident.hashes.text_sha256 + ".";
  }
  if (!incident.hashes.prompt_sha256.empty()) {
    out += " SHA-256 of the prompt: " + incident.hashes.prompt_sha256 + ".";
  }
  if (!incident.decisions.empty()) {
    const DecisionRecord& d = incident.decisions.back();
    out += " Reviewed: " + std::string(DecisionName(d.decision)) + " by " +
           d.actor + " at " + FormatUtcMs(d.time_ms) + ".";
  }
  return out;
}

bool HasFileHashes(const ContentHashes& h) {
  return !h.md5.empty() || !h.sha1.empty() || !h.sha256.empty();
}

// ---- reading back (expat) for validation

struct Node {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;
  Node* parent = nullptr;
};

struct TreeBuilder {
  std::unique_ptr<Node> root;
  Node* current = nullptr;
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* st = static_cast<TreeBuilder*>(data);
  auto node = std::make_unique<Node>();
  node->name = name;
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    node->attrs[attrs[i]] = attrs[i + 1];
  }
  Node* raw = node.get();
  if (st->current == nullptr) {
    st->root = std::move(node);
  } else {
    raw->parent = st->current;
    st->current->children.push_back(std::move(node));
  }
  st->current = raw;
}

void OnEnd(void* data, const XML_Char*) {
  auto* st = static_cast<TreeBuilder*>(data);
  st->current = st->current->parent;
}

void OnText(void* data, const XML_Char* s, int len) {
  auto* st = static_cast<TreeBuilder*>(data);
  if (st->current != nullptr) st->current->text.append(s, len);
}

std::string Trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

void Check(const Node& node, const std::string& path,
           std::vector<std::string>* problems) {
  const std::string here = path + node.name;
  if (NeedsText(node.name) && Trimmed(node.text).empty()) {
    problems->push_back(here + " is empty");
  }
  if (node.name == "incidentType" &&
      std::none_of(std::begin(kCybertipIncidentTypes),
                   std::end(kCybertipIncidentTypes),
                   [&](const char* t) { return node.text == t; })) {
    problems->push_back(here + " '" + node.text +
                        "' is not one of NCMEC's incident types");
  }
  if ((node.name == "incidentDateTime" ||
       node.name == "uploadedToEspTimestamp") &&
      !ParseUtcMs(Trimmed(node.text)).ok()) {
    problems->push_back(here + " '" + node.text +
                        "' is not an ISO 8601 UTC date and time");
  }
  if (node.name == "email" && node.text.find('@') == std::string::npos) {
    problems->push_back(here + " '" + node.text + "' is not an email address");
  }
  if (node.name == "originalFileHash" &&
      (!node.attrs.count("hashType") || node.attrs.at("hashType").empty())) {
    problems->push_back(here + " has no hashType");
  }
  auto it = Schema().find(node.name);
  if (it == Schema().end()) return;
  const Sequence& seq = it->second;
  // Walk the children against the sequence: each child must match the
  // current spec or a later one, never an earlier one.
  size_t spec = 0;
  std::vector<int> seen(seq.size(), 0);
  for (const auto& child : node.children) {
    size_t s = spec;
    while (s < seq.size() && child->name != seq[s].name) ++s;
    if (s == seq.size()) {
      const bool known = std::any_of(seq.begin(), seq.end(), [&](auto& c) {
        return child->name == c.name;
      });
      problems->push_back(
          here + "/" + child->name +
          (known ? " is out of order" : " is not allowed here"));
      if (known) Check(*child, here + "/", problems);
      continue;
    }
    spec = s;
    if (++seen[s] == seq[s].max + 1 && seq[s].max >= 0) {
      problems->push_back(here + "/" + child->name + " appears more than " +
                          std::to_string(seq[s].max) + " time(s)");
    }
    Check(*child, here + "/", problems);
  }
  for (size_t s = 0; s < seq.size(); ++s) {
    if (seen[s] < seq[s].min) {
      problems->push_back(here + "/" + seq[s].name + " is missing");
    }
  }
}

}  // namespace

Result<std::string> BuildCybertipXml(const Incident& incident,
                                     const CybertipOptions& options) {
  if (incident.state == State::kFalsePositive) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "incident " + std::to_string(incident.id) +
                         " was decided a false positive: nothing to report");
  }
  const ReporterInfo& r = options.reporter;
  if (r.email.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the reporter's email is not configured ([reporter] "
                     "email): NCMEC needs it to reach the reporter");
  }
  if (std::none_of(std::begin(kCybertipIncidentTypes),
                   std::end(kCybertipIncidentTypes),
                   [&](const char* t) { return options.incident_type == t; })) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "'" + options.incident_type + "' is not one of NCMEC's incident types");
  }
  for (const std::string* s :
       {&r.esp_name, &r.contact_name, &r.email, &r.phone, &incident.account}) {
    if (!IsValidUtf8(*s)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "reporter details and the account must be UTF-8");
    }
  }

  XmlWriter w;
  w.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  w.Raw(
      "<!-- Draft NCMEC CyberTipline report prepared by Bulwark. Not "
      "submitted: a person reviews it, then submits <report> (POST /submit), "
      "uploads each file and sends its <fileDetails> with the reportId and "
      "fileId NCMEC returns (POST /upload, /fileinfo, /finish). Structure: "
      "https://report.cybertip.org/ispws/documentation -->\n");
  w.Open("cybertiplineDraft");
  w.Open("report",
         " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
         " xsi:noNamespaceSchemaLocation="
         "\"https://report.cybertip.org/ispws/xsd\"");
  // Only elements every published version of the schema has are written:
  // the optional `platform` and `uploadedToEspTimestamp` of newer versions
  // are left out (the ESP name is under espService; the time is the
  // incident's), so the draft validates against older and newer XSDs.
  w.Open("incidentSummary");
  w.Leaf("incidentType", options.incident_type);
  w.Leaf("incidentDateTime", FormatUtcMs(incident.time_ms));
  w.Close();
  w.Open("reporter");
  w.Open("reportingPerson");
  if (!r.contact_name.empty()) {
    const size_t space = r.contact_name.find_last_of(' ');
    if (space == std::string::npos) {
      w.Leaf("firstName", r.contact_name);
    } else {
      w.Leaf("firstName", r.contact_name.substr(0, space));
      w.Leaf("lastName", r.contact_name.substr(space + 1));
    }
  }
  if (!r.phone.empty()) w.Leaf("phone", r.phone);
  w.Leaf("email", r.email);
  w.Close();
  w.Close();
  if (!incident.account.empty()) {
    w.Open("personOrUserReported");
    w.Leaf("espIdentifier", incident.account);
    if (!r.esp_name.empty()) w.Leaf("espService", r.esp_name);
    w.Close();
  }
  w.Leaf("additionalInfo", AdditionalInfo(incident));
  w.Close();  // report

  const ContentHashes& h = incident.hashes;
  if (HasFileHashes(h)) {
    w.Open("fileDetails");
    if (incident.generative_ai()) {
      w.Open("fileAnnotations");
      w.Empty("generativeAi");
      w.Close();
    }
    for (auto [type, value] :
         {std::pair<const char*, const std::string*>{"MD5", &h.md5},
          {"SHA1", &h.sha1},
          {"SHA256", &h.sha256}}) {
      if (!value->empty()) {
        w.Leaf("originalFileHash", *value,
               std::string(" hashType=\"") + type + "\"");
      }
    }
    std::string info = "Media type " +
                       (incident.media_type.empty() ? std::string("unknown")
                                                    : incident.media_type) +
                       ".";
    if (!h.pdq.empty()) info += " PDQ perceptual hash: " + h.pdq + ".";
    info += incident.has_evidence
                ? " The file is kept encrypted by Bulwark and is not part "
                  "of this draft."
                : " The file was not kept.";
    w.Leaf("additionalInfo", info);
    w.Close();
  }
  w.Close();  // cybertiplineDraft
  return w.Take();
}

std::vector<std::string> ValidateCybertipXml(std::string_view xml) {
  std::vector<std::string> problems;
  TreeBuilder st;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &st);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser, OnText);
  const bool parsed =
      XML_Parse(parser, xml.data(), static_cast<int>(xml.size()),
                /*isFinal=*/1) == XML_STATUS_OK;
  if (!parsed) {
    problems.push_back(std::string("not well-formed XML: ") +
                       XML_ErrorString(XML_GetErrorCode(parser)) + " at line " +
                       std::to_string(XML_GetCurrentLineNumber(parser)));
  }
  XML_ParserFree(parser);
  if (!parsed) return problems;
  if (st.root->name != "cybertiplineDraft") {
    problems.push_back("the root element is " + st.root->name +
                       ", not cybertiplineDraft");
    return problems;
  }
  Check(*st.root, "", &problems);
  return problems;
}

}  // namespace bulwark::incident

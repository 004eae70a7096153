// A draft NCMEC CyberTipline report for an incident, as XML, for a person
// to review and submit; Bulwark never submits it and never puts content
// bytes in it (only hashes).
//
// Structure: NCMEC's CyberTipline Reporting API,
// https://report.cybertip.org/ispws/documentation (the authoritative
// schema is served at GET /ispws/xsd). A submission is several documents:
// a <report> (POST /submit), then per file the bytes (POST /upload) and a
// <fileDetails> naming the reportId and fileId NCMEC returned (POST
// /fileinfo). The draft therefore holds both kinds of document under one
// <cybertiplineDraft> root: the <report> exactly as it is submitted, and
// one <fileDetails> per file without reportId and fileId, which only NCMEC
// can assign. Children appear in the schema's order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/incident/incident.h"

namespace bulwark::incident {

// The values of NCMEC's incidentType.
extern const char* const kCybertipIncidentTypes[8];
inline constexpr const char* kChildPornographyIncident =
    "Child Pornography (possession, manufacture, and distribution)";

// Who reports: the operator's details, from configuration.
struct ReporterInfo {
  std::string esp_name;      // the service: incidentSummary/platform and
                             // personOrUserReported/espService
  std::string contact_name;  // reportingPerson: "First Last"; the last word
                             // is the lastName
  std::string email;         // reportingPerson/email: required
  std::string phone;         // reportingPerson/phone
};

struct CybertipOptions {
  ReporterInfo reporter;
  std::string incident_type = kChildPornographyIncident;
};

// The draft for `incident`. Refuses an incident decided a false positive,
// a missing reporter email (naming the setting) and an unknown incident
// type. The result passes ValidateCybertipXml.
Result<std::string> BuildCybertipXml(const Incident& incident,
                                     const CybertipOptions& options);

// Checks a draft against the documented structure: well-formed, every
// required element present and non-empty, children in the schema's order,
// known incidentType, a parseable incidentDateTime, a hashType on every
// originalFileHash. Returns one line per problem; empty when valid.
std::vector<std::string> ValidateCybertipXml(std::string_view xml);

}  // namespace bulwark::incident

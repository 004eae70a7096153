// The JSON form of an incident, for `bulwark incident show --format json`,
// the review API and the store's own record of the nested parts. It holds
// no content: the text, prompt and media are evidence and never appear.
#pragma once

#include <boost/json.hpp>

#include "bulwark/core/result.h"
#include "bulwark/incident/incident.h"

namespace bulwark::incident {

// Every field of the incident; times as milliseconds and as UTC text.
boost::json::object IncidentToJson(const Incident& incident);

// The nested parts of a new incident (categories, reasons, signals, hashes,
// text matches) and back.
boost::json::object DetailsToJson(const NewIncident& incident);
Status DetailsFromJson(const boost::json::value& json, NewIncident* incident);

}  // namespace bulwark::incident

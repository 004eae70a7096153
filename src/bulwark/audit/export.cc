#include "bulwark/audit/export.h"

#include <boost/json.hpp>

#include "bulwark/core/clock.h"

namespace bulwark::audit {

std::string RecordToJson(const Record& r) {
  // boost::json::object keeps insertion order, so every line lists the
  // fields in the order of the hashed encoding.
  boost::json::object o;
  o["seq"] = r.seq;
  o["time"] = FormatUtcMs(r.time_ms);
  o["time_ms"] = r.time_ms;
  o["actor"] = r.actor;
  o["action"] = r.action;
  o["target"] = r.target;
  o["reason"] = r.reason;
  o["details"] = r.details;
  o["prev_hash"] = r.prev_hash;
  o["hash"] = r.hash;
  return boost::json::serialize(o);
}

Result<int64_t> ExportJsonl(AuditReader& reader, const ExportOptions& options,
                            std::ostream& out) {
  int64_t n = 0;
  auto s = reader.ForEachRecord(options.since_seq, options.since_ms,
                                [&](const Record& r) {
                                  out << RecordToJson(r) << '\n';
                                  ++n;
                                  return static_cast<bool>(out);
                                });
  if (!s.ok()) return s.error();
  if (!out) return MakeError(ErrorCode::kIo, "cannot write the export");
  return n;
}

}  // namespace bulwark::audit

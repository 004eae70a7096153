#include "bulwark/bank/export.h"

#include <boost/json.hpp>
#include <string>

#include "bulwark/core/text_escape.h"

namespace bulwark::bank {
namespace {

void WriteCsv(const Entry& e, std::string* line) {
  line->clear();
  *line += hash::SignalTypeName(e.signal.type());
  *line += ',';
  *line += e.signal.ToHex();
  *line += ',';
  *line += CsvField(e.label);
  *line += ',';
  *line += CsvField(e.source_id);
  *line += ',';
  if (e.quality) *line += std::to_string(*e.quality);
  *line += e.disabled ? ",true," : ",false,";
  *line += CsvField(e.disabled_reason);
  *line += ',';
  *line += std::to_string(e.added_at);
  *line += '\n';
}

void WriteJsonl(const Entry& e, std::string* line) {
  boost::json::object o;
  o["type"] = hash::SignalTypeName(e.signal.type());
  o["value"] = e.signal.ToHex();
  o["label"] = e.label;
  o["source_id"] = e.source_id;
  if (e.quality) {
    o["quality"] = *e.quality;
  } else {
    o["quality"] = nullptr;
  }
  o["disabled"] = e.disabled;
  o["disabled_reason"] = e.disabled_reason;
  o["added_at"] = e.added_at;
  *line = boost::json::serialize(o);
  *line += '\n';
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view text) {
  if (text == "csv") return ExportFormat::kCsv;
  if (text == "jsonl") return ExportFormat::kJsonl;
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown export format '" + std::string(text) +
                       "' (expected csv or jsonl)");
}

Result<int64_t> ExportBank(Store& store, int64_t bank_id, ExportFormat format,
                           std::ostream& out) {
  if (format == ExportFormat::kCsv) {
    out << "type,value,label,source_id,quality,disabled,disabled_reason,"
           "added_at\n";
  }
  int64_t count = 0;
  std::string line;
  auto s = store.ForEachEntry(bank_id, [&](const Entry& e) {
    if (format == ExportFormat::kCsv) {
      WriteCsv(e, &line);
    } else {
      WriteJsonl(e, &line);
    }
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    ++count;
  });
  if (!s.ok()) return s.error();
  out.flush();
  if (!out) return MakeError(ErrorCode::kIo, "cannot write the export");
  return count;
}

}  // namespace bulwark::bank

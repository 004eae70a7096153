#include "bulwark/bank/import.h"

#include <fstream>

#include "bulwark/bank/import_input.h"
#include "bulwark/bank/import_parsers.h"
#include "bulwark/bank/import_record.h"

namespace bulwark::bank {

const char* ImportFormatName(ImportFormat f) {
  switch (f) {
    case ImportFormat::kAuto:
      return "auto";
    case ImportFormat::kLines:
      return "lines";
    case ImportFormat::kCsv:
      return "csv";
    case ImportFormat::kJsonl:
      return "jsonl";
    case ImportFormat::kNcmecXml:
      return "ncmec-xml";
  }
  return "unknown";
}

Result<ImportFormat> ParseImportFormat(std::string_view text) {
  for (ImportFormat f :
       {ImportFormat::kAuto, ImportFormat::kLines, ImportFormat::kCsv,
        ImportFormat::kJsonl, ImportFormat::kNcmecXml}) {
    if (text == ImportFormatName(f)) return f;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown import format '" + std::string(text) +
                       "' (expected auto, lines, csv, jsonl or ncmec-xml)");
}

void ParsedImport::AddIssue(int64_t line, std::string message) {
  ++issue_count;
  if (issues.size() < kMaxIssuesKept) {
    issues.push_back({line, std::move(message)});
  }
}

ImportFormat DetectImportFormat(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);  // BOM
  // The first line that is neither blank nor a '#' comment decides.
  while (!head.empty()) {
    const size_t nl = head.find('\n');
    std::string_view line = TrimSpaces(head.substr(0, nl));
    head =
        nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (line.empty()) continue;
    if (line[0] == '<') return ImportFormat::kNcmecXml;
    if (line[0] == '{') return ImportFormat::kJsonl;
    if (line[0] == '#') continue;
    if (line.find(',') != std::string_view::npos) return ImportFormat::kCsv;
    return ImportFormat::kLines;
  }
  return ImportFormat::kLines;
}

Result<ParsedImport> ParseImport(std::istream& in,
                                 const ImportOptions& options) {
  ImportInput input(in);
  ParsedImport out;
  out.format = options.format;
  if (out.format == ImportFormat::kAuto) {
    auto head = input.Peek(64 * 1024);
    if (!head.ok()) return head.error();
    out.format = DetectImportFormat(*head);
  }
  Status s = Ok{};
  switch (out.format) {
    case ImportFormat::kAuto:  // handled above
    case ImportFormat::kLines:
      s = ParseLinesFormat(&input, options, &out);
      break;
    case ImportFormat::kCsv:
      s = ParseCsvFormat(&input, options, &out);
      break;
    case ImportFormat::kJsonl:
      s = ParseJsonlFormat(&input, options, &out);
      break;
    case ImportFormat::kNcmecXml:
      s = ParseNcmecXmlFormat(&input, options, &out);
      break;
  }
  if (!s.ok()) return s.error();
  return out;
}

std::string DescribeIssues(const ParsedImport& parsed, size_t max_shown,
                           bool imported_rest) {
  std::string out = std::to_string(parsed.issue_count) + " invalid record" +
                    (parsed.issue_count == 1 ? "" : "s") +
                    (imported_rest ? " skipped" : "; nothing was imported") +
                    ":";
  size_t shown = 0;
  for (const ImportIssue& i : parsed.issues) {
    if (shown == max_shown) break;
    out += "\n  line " + std::to_string(i.line) + ": " + i.message;
    ++shown;
  }
  if (static_cast<int64_t>(shown) < parsed.issue_count) {
    out +=
        "\n  ... and " + std::to_string(parsed.issue_count - shown) + " more";
  }
  return out;
}

Result<ImportReport> ImportStream(Store& store, int64_t bank_id,
                                  std::istream& in,
                                  const ImportOptions& options) {
  auto parsed = ParseImport(in, options);
  if (!parsed.ok()) return parsed.error();
  if (parsed->issue_count > 0 && !options.skip_invalid) {
    return MakeError(ErrorCode::kInvalidArgument,
                     DescribeIssues(*parsed, options.max_issues_shown,
                                    /*imported_rest=*/false));
  }
  auto stats = store.AddEntries(bank_id, parsed->entries, parsed->retractions);
  if (!stats.ok()) return stats.error();
  ImportReport report;
  report.format = parsed->format;
  report.stats = *stats;
  report.records = parsed->records;
  report.skipped = parsed->issue_count;
  report.issues = std::move(parsed->issues);
  report.unsupported_fingerprints = parsed->unsupported_fingerprints;
  return report;
}

Result<ImportReport> ImportFile(Store& store, int64_t bank_id,
                                const std::string& path,
                                const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  }
  auto report = ImportStream(store, bank_id, in, options);
  if (!report.ok()) {
    return MakeError(report.error().code, path + ": " + report.error().message);
  }
  return report;
}

}  // namespace bulwark::bank

// The plain "one hash per line" format.
#include "bulwark/bank/import_parsers.h"
#include "bulwark/bank/import_record.h"

namespace bulwark::bank {

Status ParseLinesFormat(ImportInput* in, const ImportOptions& options,
                        ParsedImport* out) {
  LineReader reader(in, kMaxImportLineBytes);
  std::string_view line;
  for (;;) {
    auto status = reader.Next(&line);
    if (!status.ok()) return status.error();
    if (*status == LineReader::Status::kEnd) return Ok{};
    if (*status == LineReader::Status::kTooLong) {
      ++out->records;
      out->AddIssue(reader.line_number(), "line is longer than 64 KiB");
      continue;
    }
    line = TrimSpaces(line);
    if (line.empty() || line[0] == '#') continue;
    ++out->records;
    auto signal = ResolveSignal(line, {}, options.signal_type);
    if (!signal.ok()) {
      out->AddIssue(reader.line_number(), signal.error().message);
      continue;
    }
    NewEntry e;
    e.signal = std::move(*signal);
    out->entries.push_back(std::move(e));
  }
}

}  // namespace bulwark::bank

// CSV with a header row (RFC 4180 quoting).
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "bulwark/bank/import_parsers.h"
#include "bulwark/bank/import_record.h"

namespace bulwark::bank {
namespace {

enum class Split { kOk, kOpenQuote, kBad };

// Splits one record into `fields`. kOpenQuote: a quoted field runs past the
// end of `text` (the record continues on the next line). kBad: `*why` says.
Split SplitCsv(std::string_view text, std::vector<std::string>* fields,
               std::string* why) {
  fields->clear();
  size_t i = 0;
  for (;;) {
    std::string field;
    if (i < text.size() && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return Split::kOpenQuote;
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',') {
        *why = "unexpected text after a closing quote in field " +
               std::to_string(fields->size() + 1);
        return Split::kBad;
      }
    } else {
      const size_t end = std::min(text.find(',', i), text.size());
      std::string_view raw = text.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos) {
        *why = "a quote inside an unquoted field " +
               std::to_string(fields->size() + 1) +
               " (quote the whole field and double the quote)";
        return Split::kBad;
      }
      field.assign(raw);
      i = end;
    }
    fields->push_back(std::move(field));
    if (i >= text.size()) return Split::kOk;
    ++i;  // the comma
    if (i == text.size()) {
      fields->emplace_back();  // a trailing comma ends with an empty field
      return Split::kOk;
    }
  }
}

constexpr const char* kFields[] = {"value",          "type",    "label",
                                   "source_id",      "quality", "disabled",
                                   "disabled_reason"};

}  // namespace

Status ParseCsvFormat(ImportInput* in, const ImportOptions& options,
                      ParsedImport* out) {
  LineReader reader(in, kMaxImportLineBytes);
  std::string_view line;
  std::vector<std::string> fields;
  std::string why;
  // Column index for each canonical field, or -1.
  std::map<std::string_view, int> column;
  // `bulwark hash --format csv` output has no value column but one column
  // per hash type (pdq, md5, sha1, sha256): each filled cell is an entry.
  std::vector<std::pair<hash::SignalType, int>> type_columns;
  size_t width = 0;
  bool have_header = false;
  std::string record;  // a record spanning lines (quoted newlines)
  int64_t record_line = 0;

  for (;;) {
    auto status = reader.Next(&line);
    if (!status.ok()) return status.error();
    if (*status == LineReader::Status::kEnd) break;
    if (*status == LineReader::Status::kTooLong) {
      ++out->records;
      out->AddIssue(record.empty() ? reader.line_number() : record_line,
                    "line is longer than 64 KiB");
      record.clear();
      continue;
    }
    std::string_view text = line;
    if (!record.empty()) {
      record += '\n';
      record.append(line);
      if (record.size() > kMaxImportLineBytes) {
        ++out->records;
        out->AddIssue(record_line, "record is longer than 64 KiB");
        record.clear();
        continue;
      }
      text = record;
    } else {
      const std::string_view trimmed = TrimSpaces(line);
      if (trimmed.empty()) continue;
      // Comments may precede the header (as format detection allows).
      if (!have_header && trimmed[0] == '#') continue;
      record_line = reader.line_number();
    }
    const Split split = SplitCsv(text, &fields, &why);
    if (split == Split::kOpenQuote) {
      if (record.empty()) record.assign(line);
      continue;
    }
    record.clear();

    if (!have_header) {
      if (split == Split::kBad) {
        return MakeError(
            ErrorCode::kCorrupt,
            "CSV header (line " + std::to_string(record_line) + "): " + why);
      }
      for (const char* f : kFields) column[f] = -1;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string_view canon = CanonicalField(fields[i]);
        if (canon.empty()) {
          std::string name(TrimSpaces(fields[i]));
          for (char& c : name) c = static_cast<char>(std::tolower(c));
          auto type = hash::ParseSignalType(name);
          if (type.ok()) type_columns.emplace_back(*type, static_cast<int>(i));
          continue;
        }
        if (column[canon] != -1) {
          return MakeError(ErrorCode::kCorrupt,
                           "CSV header names the " + std::string(canon) +
                               " column twice ('" + fields[column[canon]] +
                               "' and '" + fields[i] + "')");
        }
        column[canon] = static_cast<int>(i);
      }
      if (column["value"] == -1 && type_columns.empty()) {
        return MakeError(ErrorCode::kCorrupt,
                         "CSV header (line " + std::to_string(record_line) +
                             ") has no value column: name one 'value', "
                             "'hash' or 'signal', or one per hash type "
                             "(pdq, md5, sha1, sha256)");
      }
      if (column["value"] != -1) type_columns.clear();
      width = fields.size();
      have_header = true;
      continue;
    }

    ++out->records;
    if (split == Split::kBad) {
      out->AddIssue(record_line, why);
      continue;
    }
    if (fields.size() != width) {
      out->AddIssue(record_line, "expected " + std::to_string(width) +
                                     " columns as in the header, got " +
                                     std::to_string(fields.size()));
      continue;
    }
    auto get = [&](const char* name) -> std::string_view {
      const int c = column[name];
      return c < 0 ? std::string_view() : std::string_view(fields[c]);
    };
    if (!type_columns.empty()) {
      // One entry per filled hash column; quality belongs to PDQ only.
      std::vector<NewEntry> row;
      std::string problem;
      for (const auto& [type, c] : type_columns) {
        if (TrimSpaces(fields[c]).empty()) continue;
        const bool pdq = type == hash::SignalType::kPdq;
        RawRecord r{fields[c],
                    hash::SignalTypeName(type),
                    get("label"),
                    get("source_id"),
                    pdq ? get("quality") : std::string_view(),
                    get("disabled"),
                    get("disabled_reason")};
        auto entry = MakeEntry(r, options);
        if (!entry.ok()) {
          problem = entry.error().message;
          break;
        }
        row.push_back(std::move(*entry));
      }
      if (problem.empty() && row.empty()) problem = "no hash in this row";
      if (!problem.empty()) {
        out->AddIssue(record_line, problem);
        continue;
      }
      for (NewEntry& e : row) out->entries.push_back(std::move(e));
      continue;
    }
    RawRecord r{get("value"),          get("type"),    get("label"),
                get("source_id"),      get("quality"), get("disabled"),
                get("disabled_reason")};
    auto entry = MakeEntry(r, options);
    if (!entry.ok()) {
      out->AddIssue(record_line, entry.error().message);
      continue;
    }
    out->entries.push_back(std::move(*entry));
  }
  if (!record.empty()) {
    ++out->records;
    out->AddIssue(record_line, "a quoted field is never closed");
  }
  if (!have_header) {
    return MakeError(ErrorCode::kCorrupt, "the CSV input has no header row");
  }
  return Ok{};
}

}  // namespace bulwark::bank

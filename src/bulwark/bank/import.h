// Importing hash lists into a bank.
//
// Formats (detected from the content unless ImportOptions::format says):
//
//  lines      One hash per line. Blank lines and lines starting with '#' are
//             ignored; surrounding spaces are trimmed. A line is either
//             "type:hex" (e.g. "pdq:f8f8...") or bare hex, whose type is
//             ImportOptions::signal_type when given, else its length: 32
//             digits md5, 40 sha1. 64 digits could be sha256 or pdq, so a
//             bare 64-digit value needs a prefix or signal_type.
//  csv        RFC 4180 with a header row ('#' comment lines and blank lines
//             may precede it; blank lines are skipped). Column names
//             (case-insensitive, any order, other columns ignored):
//               value | hash | signal     the hash (required; bare hex or
//                                         "type:hex")
//               type | signal_type        md5, sha1, sha256, pdq (optional;
//                                         else as for lines)
//               label                     free text
//               id | source_id            the list's own id for the hash
//               quality                   integer 0..100
//               disabled                  true/false/1/0/yes/no: a
//                                         retraction (tombstone)
//               disabled_reason           the retraction's reason
//             This is exactly what ExportBank writes, so an export
//             re-imports to the same contents. Without a value column, a
//             header with columns named pdq, md5, sha1 and/or sha256 (the
//             output of `bulwark hash --format csv`) gives one entry per
//             filled cell, quality applying to pdq; a row with no hash is
//             an issue.
//  jsonl      One JSON object per line with the same field names; id may be
//             a string or an integer, quality an integer or null, disabled
//             a boolean. Other fields are ignored.
//  ncmec-xml  NCMEC Hash Sharing API v2 XML (<queryResult>): each <image>
//             or <video> gives one entry per supported fingerprint (md5,
//             sha1, sha256, pdq) with the entry's <id> as source id and its
//             <classification> as label. Other fingerprints (pdna i.e.
//             PhotoDNA, tmk-pdqf, videntifier, ...) are counted in
//             unsupported_fingerprints. <deletedImage>/<deletedVideo> become
//             Retractions by id. Streamed with expat; a DOCTYPE (and so any
//             entity declaration) is rejected, as are nesting deeper than
//             64 levels and element text over 64 KiB.
//
// Limits: a line (or a CSV record, or an XML element's text) is at most
// 64 KiB. Labels and source ids must be valid UTF-8 without control
// characters, at most 1024 bytes: invalid UTF-8 is rejected, not replaced,
// so a stored label is always the one the list gave.
//
// Every bad record is an ImportIssue with its line number. By default any
// issue fails the import and nothing is written; with skip_invalid the good
// records are imported and the issues reported. Input that cannot be read
// as its format at all (malformed XML, a CSV header without a value
// column, an I/O error) is an Error either way.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/bank/store.h"
#include "bulwark/core/result.h"
#include "bulwark/hash/signal.h"

namespace bulwark::bank {

enum class ImportFormat { kAuto, kLines, kCsv, kJsonl, kNcmecXml };

// "auto", "lines", "csv", "jsonl", "ncmec-xml".
const char* ImportFormatName(ImportFormat f);
Result<ImportFormat> ParseImportFormat(std::string_view text);

struct ImportOptions {
  ImportFormat format = ImportFormat::kAuto;
  // Type for values without one (bare hex in lines, csv without a type
  // column or with it empty, jsonl without "type").
  std::optional<hash::SignalType> signal_type;
  bool skip_invalid = false;
  // How many issues an error message lists.
  size_t max_issues_shown = 10;
};

inline constexpr size_t kMaxImportLineBytes = 64 * 1024;
// ParsedImport::issues keeps at most this many; issue_count counts all.
inline constexpr size_t kMaxIssuesKept = 1000;

struct ImportIssue {
  int64_t line = 0;  // 1-based line in the input where the record starts
  std::string message;
};

struct ParsedImport {
  ImportFormat format = ImportFormat::kAuto;  // as detected or given
  std::vector<NewEntry> entries;
  std::vector<Retraction> retractions;
  std::vector<ImportIssue> issues;  // the first kMaxIssuesKept
  int64_t issue_count = 0;
  int64_t records = 0;  // data records read, good or bad
  int64_t unsupported_fingerprints = 0;

  void AddIssue(int64_t line, std::string message);
};

// The format `head` (the first bytes of the input) looks like: '<' first
// is ncmec-xml, '{' is jsonl, a first line with a comma is csv, else lines.
ImportFormat DetectImportFormat(std::string_view head);

// Reads `in` to its end. Per-record problems are issues, not errors.
Result<ParsedImport> ParseImport(std::istream& in,
                                 const ImportOptions& options);

// "2 invalid records; nothing was imported:\n  line 3: ...\n  line 9: ..."
// (at most `max_shown` lines, then "  ... and N more").
std::string DescribeIssues(const ParsedImport& parsed, size_t max_shown,
                           bool imported_rest);

struct ImportReport {
  ImportFormat format = ImportFormat::kAuto;
  ImportStats stats;
  int64_t records = 0;
  int64_t skipped = 0;              // records with issues (skip_invalid)
  std::vector<ImportIssue> issues;  // the first kMaxIssuesKept of them
  int64_t unsupported_fingerprints = 0;
};

// Parses and adds to the bank in one transaction. With issues and without
// skip_invalid: kInvalidArgument listing them, and nothing written.
Result<ImportReport> ImportStream(Store& store, int64_t bank_id,
                                  std::istream& in,
                                  const ImportOptions& options);
// As ImportStream, reading the file at `path` ("-" is not special here).
Result<ImportReport> ImportFile(Store& store, int64_t bank_id,
                                const std::string& path,
                                const ImportOptions& options);

}  // namespace bulwark::bank

// JSON Lines: one object per line, fields named as CSV columns.
#include <boost/json.hpp>
#include <vector>

#include "bulwark/bank/import_parsers.h"
#include "bulwark/bank/import_record.h"

namespace bulwark::bank {
namespace {

// Fills `r` from `obj`; the strings it points at live in `obj` or `scratch`.
Status ReadObject(const boost::json::object& obj, RawRecord* r,
                  std::string* scratch_id, std::string* scratch_quality) {
  bool seen[7] = {};
  for (const auto& kv : obj) {
    const std::string_view key(kv.key().data(), kv.key().size());
    const std::string_view canon = CanonicalField(key);
    if (canon.empty()) continue;
    const boost::json::value& v = kv.value();
    auto twice = [&](int i) -> Status {
      if (seen[i]) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "the " + std::string(canon) + " field is given twice");
      }
      seen[i] = true;
      return Ok{};
    };
    auto need_string = [&](std::string_view* dst, int i) -> Status {
      auto t = twice(i);
      if (!t.ok()) return t;
      if (v.is_null()) return Ok{};
      if (!v.is_string()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "field '" + std::string(key) + "' must be a string");
      }
      *dst = std::string_view(v.get_string().data(), v.get_string().size());
      return Ok{};
    };
    Status s = Ok{};
    if (canon == "value") {
      s = need_string(&r->value, 0);
    } else if (canon == "type") {
      s = need_string(&r->type, 1);
    } else if (canon == "label") {
      s = need_string(&r->label, 2);
    } else if (canon == "disabled_reason") {
      s = need_string(&r->disabled_reason, 3);
    } else if (canon == "source_id") {
      s = twice(4);
      if (s.ok() && v.is_int64()) {
        *scratch_id = std::to_string(v.get_int64());
        r->source_id = *scratch_id;
      } else if (s.ok() && v.is_uint64()) {
        *scratch_id = std::to_string(v.get_uint64());
        r->source_id = *scratch_id;
      } else if (s.ok() && v.is_string()) {
        r->source_id =
            std::string_view(v.get_string().data(), v.get_string().size());
      } else if (s.ok() && !v.is_null()) {
        s = MakeError(
            ErrorCode::kInvalidArgument,
            "field '" + std::string(key) + "' must be a string or an integer");
      }
    } else if (canon == "quality") {
      s = twice(5);
      if (s.ok() && v.is_int64()) {
        *scratch_quality = std::to_string(v.get_int64());
        r->quality = *scratch_quality;
      } else if (s.ok() && !v.is_null()) {
        s = MakeError(ErrorCode::kInvalidArgument,
                      "field 'quality' must be an integer from 0 to 100");
      }
    } else if (canon == "disabled") {
      s = twice(6);
      if (s.ok() && v.is_bool()) {
        r->disabled = v.get_bool() ? "true" : "false";
      } else if (s.ok() && !v.is_null()) {
        s = MakeError(ErrorCode::kInvalidArgument,
                      "field 'disabled' must be true or false");
      }
    }
    if (!s.ok()) return s;
  }
  if (!seen[0] || r->value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no hash: give a 'value' (or 'hash' or 'signal') field");
  }
  return Ok{};
}

}  // namespace

Status ParseJsonlFormat(ImportInput* in, const ImportOptions& options,
                        ParsedImport* out) {
  LineReader reader(in, kMaxImportLineBytes);
  std::string_view line;
  std::string scratch_id, scratch_quality;
  boost::json::parse_options popts;
  popts.max_depth = 16;  // records are flat; deep nesting is hostile
  // A fresh arena per line over a reused buffer: no heap traffic for
  // ordinary records. (Reusing one arena with release() throws bad_alloc
  // in Boost 1.81.)
  std::vector<unsigned char> arena(16 * 1024);
  for (;;) {
    auto status = reader.Next(&line);
    if (!status.ok()) return status.error();
    if (*status == LineReader::Status::kEnd) return Ok{};
    if (*status == LineReader::Status::kTooLong) {
      ++out->records;
      out->AddIssue(reader.line_number(), "line is longer than 64 KiB");
      continue;
    }
    if (TrimSpaces(line).empty()) continue;
    ++out->records;
    boost::json::monotonic_resource mr(arena.data(), arena.size());
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(
        boost::json::string_view(line.data(), line.size()), ec, &mr, popts);
    if (ec) {
      out->AddIssue(reader.line_number(), "not valid JSON: " + ec.message());
      continue;
    }
    if (!v.is_object()) {
      out->AddIssue(reader.line_number(), "expected a JSON object");
      continue;
    }
    RawRecord r;
    auto s = ReadObject(v.get_object(), &r, &scratch_id, &scratch_quality);
    if (!s.ok()) {
      out->AddIssue(reader.line_number(), s.error().message);
      continue;
    }
    auto entry = MakeEntry(r, options);
    if (!entry.ok()) {
      out->AddIssue(reader.line_number(), entry.error().message);
      continue;
    }
    out->entries.push_back(std::move(*entry));
  }
}

}  // namespace bulwark::bank

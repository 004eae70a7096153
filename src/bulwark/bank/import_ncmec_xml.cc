// NCMEC Hash Sharing API v2 XML, streamed through expat:
//
//   <queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2">
//     <images><image><id>..</id><classification>..</classification>
//       <fingerprints><md5>..</md5><sha1>..</sha1><pdna>..</pdna>
//       </fingerprints></image>
//       <deletedImage><id>..</id></deletedImage></images>
//     <videos><video>..</video><deletedVideo>..</deletedVideo></videos>
//   </queryResult>
//
// Only the elements above are read; everything else (member, timestamp,
// feedback, paging) is skipped.
#include <expat.h>

#include <string>
#include <vector>

#include "bulwark/bank/entry_text.h"
#include "bulwark/bank/import_parsers.h"
#include "bulwark/bank/import_record.h"

namespace bulwark::bank {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kChunk = 64 * 1024;
constexpr const char* kRetractedReason = "deleted from the NCMEC list";

// The local part of an element name ("ns:image" -> "image").
std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  const size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

struct Fingerprint {
  std::string type;
  std::string value;
  int64_t line;
};

class NcmecParser {
 public:
  NcmecParser(const ImportOptions& options, ParsedImport* out)
      : options_(options), out_(out) {}

  Status Run(ImportInput* in) {
    XML_Parser p = XML_ParserCreate(nullptr);
    if (p == nullptr) {
      return MakeError(ErrorCode::kInternal, "cannot create an XML parser");
    }
    parser_ = p;
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, &Start, &End);
    XML_SetCharacterDataHandler(p, &Text);
    // No DTDs at all: no entity can be declared, so no entity expansion
    // (billion laughs) and no external entity can be fetched.
    XML_SetStartDoctypeDeclHandler(p, &Doctype);
    XML_SetEntityDeclHandler(p, &EntityDecl);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);

    Status result = Ok{};
    std::vector<char> buf(kChunk);
    for (;;) {
      auto n = in->Read(buf.data(), buf.size());
      if (!n.ok()) {
        result = n.error();
        break;
      }
      const bool final = *n == 0;
      if (XML_Parse(p, buf.data(), static_cast<int>(*n), final) ==
          XML_STATUS_ERROR) {
        const auto line = static_cast<int64_t>(XML_GetCurrentLineNumber(p));
        std::string why = stop_reason_.empty()
                              ? XML_ErrorString(XML_GetErrorCode(p))
                              : stop_reason_;
        result =
            MakeError(ErrorCode::kCorrupt,
                      "XML error at line " + std::to_string(line) + ": " + why);
        break;
      }
      if (final) break;
    }
    XML_ParserFree(p);
    if (result.ok() && !saw_root_) {
      result = MakeError(ErrorCode::kCorrupt, "the XML input is empty");
    }
    return result;
  }

 private:
  static void Start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<NcmecParser*>(self)->OnStart(LocalName(name), attrs);
  }
  static void End(void* self, const XML_Char* name) {
    static_cast<NcmecParser*>(self)->OnEnd(LocalName(name));
  }
  static void Text(void* self, const XML_Char* s, int len) {
    static_cast<NcmecParser*>(self)->OnText(std::string_view(s, len));
  }
  static void Doctype(void* self, const XML_Char*, const XML_Char*,
                      const XML_Char*, int) {
    static_cast<NcmecParser*>(self)->Stop(
        "a DOCTYPE is not allowed in an NCMEC list");
  }
  static void EntityDecl(void* self, const XML_Char*, int, const XML_Char*, int,
                         const XML_Char*, const XML_Char*, const XML_Char*,
                         const XML_Char*) {
    static_cast<NcmecParser*>(self)->Stop(
        "entity declarations are not allowed");
  }

  void Stop(std::string reason) {
    if (stop_reason_.empty()) stop_reason_ = std::move(reason);
    XML_StopParser(parser_, XML_FALSE);
  }

  int64_t Line() const {
    return static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
  }

  void OnStart(std::string_view name, const XML_Char** attrs) {
    ++depth_;
    if (depth_ > kMaxDepth) {
      Stop("elements nested deeper than " + std::to_string(kMaxDepth));
      return;
    }
    if (depth_ == 1) {
      saw_root_ = true;
      if (name != "queryResult") {
        Stop("not an NCMEC hash sharing list: the root element is '" +
             std::string(name) + "', expected 'queryResult'");
      }
      return;
    }
    capturing_ = false;
    if (record_depth_ == 0) {
      if (name == "image" || name == "video" || name == "deletedImage" ||
          name == "deletedVideo") {
        record_depth_ = depth_;
        deleted_ = name.starts_with("deleted");
        record_line_ = Line();
        id_.clear();
        label_.clear();
        fingerprints_.clear();
        for (int i = 0; attrs[i] != nullptr; i += 2) {
          if (std::string_view(attrs[i]) == "id") id_ = attrs[i + 1];
        }
      }
      return;
    }
    if (depth_ == record_depth_ + 1) {
      in_fingerprints_ = name == "fingerprints";
      if (name == "id" || name == "classification") {
        field_ = std::string(name);
        StartCapture();
      }
    } else if (depth_ == record_depth_ + 2 && in_fingerprints_) {
      fingerprints_.push_back({std::string(name), "", Line()});
      field_ = "fingerprint";
      StartCapture();
    }
  }

  void StartCapture() {
    capturing_ = true;
    text_.clear();
  }

  void OnText(std::string_view s) {
    if (!capturing_) return;
    if (text_.size() + s.size() > kMaxImportLineBytes) {
      Stop("element text longer than 64 KiB");
      return;
    }
    text_.append(s);
  }

  void OnEnd(std::string_view name) {
    if (capturing_) {
      capturing_ = false;
      const std::string_view t = TrimSpaces(text_);
      if (field_ == "id") {
        id_ = t;
      } else if (field_ == "classification") {
        label_ = t;
      } else if (!fingerprints_.empty()) {
        fingerprints_.back().value = t;
      }
    }
    if (depth_ == record_depth_ + 1 && name == "fingerprints") {
      in_fingerprints_ = false;
    }
    if (depth_ == record_depth_) {
      FinishRecord();
      record_depth_ = 0;
    }
    --depth_;
  }

  void FinishRecord() {
    ++out_->records;
    if (deleted_) {
      if (id_.empty()) {
        out_->AddIssue(record_line_, "a deleted entry without an <id>");
        return;
      }
      auto v = ValidateEntryText("id", id_);
      if (!v.ok()) {
        out_->AddIssue(record_line_, v.error().message);
        return;
      }
      out_->retractions.push_back({id_, kRetractedReason});
      return;
    }
    for (const Fingerprint& f : fingerprints_) {
      if (f.type != "md5" && f.type != "sha1" && f.type != "sha256" &&
          f.type != "pdq") {
        ++out_->unsupported_fingerprints;  // pdna, tmk-pdqf, videntifier...
        continue;
      }
      RawRecord r;
      r.value = f.value;
      r.type = f.type;
      r.label = label_;
      r.source_id = id_;
      auto entry = MakeEntry(r, options_);
      if (!entry.ok()) {
        out_->AddIssue(f.line, "entry '" + id_.substr(0, 80) +
                                   "': " + entry.error().message);
        continue;
      }
      out_->entries.push_back(std::move(*entry));
    }
  }

  const ImportOptions& options_;
  ParsedImport* out_;
  XML_Parser parser_ = nullptr;
  std::string stop_reason_;
  bool saw_root_ = false;
  int depth_ = 0;
  int record_depth_ = 0;  // 0: not inside an entry
  bool deleted_ = false;
  bool in_fingerprints_ = false;
  int64_t record_line_ = 0;
  std::string id_, label_;
  std::vector<Fingerprint> fingerprints_;
  bool capturing_ = false;
  std::string field_;
  std::string text_;
};

}  // namespace

Status ParseNcmecXmlFormat(ImportInput* in, const ImportOptions& options,
                           ParsedImport* out) {
  NcmecParser parser(options, out);
  return parser.Run(in);
}

}  // namespace bulwark::bank

#include "bulwark/audit/record.h"

#include <boost/json.hpp>

#include "bulwark/audit/sha256.h"
#include "bulwark/core/utf8.h"

namespace bulwark::audit {
namespace {

constexpr std::string_view kRecordTag = "bulwark.audit.record.v1";
// Generous for names and reasons, small enough that a runaway caller cannot
// fill the disk through the audit log.
constexpr size_t kMaxFieldBytes = 4096;
constexpr size_t kMaxDetailsBytes = 65536;

Error Invalid(const std::string& message) {
  return MakeError(ErrorCode::kInvalidArgument, "audit record: " + message);
}

// Printable text: valid UTF-8 and no control characters, so a record reads
// the same in a terminal, a JSON line and the database.
bool IsPrintable(std::string_view text) {
  if (!IsValidUtf8(text)) return false;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// "word(.word)+" with words of [a-z0-9_].
bool IsDottedAction(std::string_view a) {
  bool dot_seen = false, word_empty = true;
  for (char c : a) {
    if (c == '.') {
      if (word_empty) return false;
      dot_seen = true;
      word_empty = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      word_empty = false;
    } else {
      return false;
    }
  }
  return dot_seen && !word_empty;
}

}  // namespace

void AppendU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void AppendField(std::string& out, std::string_view text) {
  AppendU64(out, text.size());
  out.append(text);
}

std::string CanonicalBytes(const Record& r) {
  std::string out;
  out.reserve(kRecordTag.size() + 16 + 7 * 8 + r.actor.size() +
              r.action.size() + r.target.size() + r.reason.size() +
              r.details.size() + r.prev_hash.size());
  AppendField(out, kRecordTag);
  AppendU64(out, static_cast<uint64_t>(r.seq));
  AppendU64(out, static_cast<uint64_t>(r.time_ms));
  for (const std::string* f :
       {&r.actor, &r.action, &r.target, &r.reason, &r.details, &r.prev_hash}) {
    AppendField(out, *f);
  }
  return out;
}

std::string ComputeHash(const Record& r) {
  return Sha256Hex(CanonicalBytes(r));
}

Result<NewRecord> Normalize(const NewRecord& in) {
  NewRecord out = in;
  if (in.actor.empty()) return Invalid("the actor is empty");
  if (in.actor.find("bwk_") != std::string::npos) {
    return Invalid("the actor looks like an API key; record its key id");
  }
  if (!IsDottedAction(in.action)) {
    return Invalid("action \"" + in.action +
                   "\" is not lowercase dotted words such as account.ban");
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"actor", &in.actor},
      {"action", &in.action},
      {"target", &in.target},
      {"reason", &in.reason}};
  for (const auto& [name, value] : fields) {
    if (value->size() > kMaxFieldBytes) {
      return Invalid(std::string(name) + " is longer than " +
                     std::to_string(kMaxFieldBytes) + " bytes");
    }
    if (!IsPrintable(*value)) {
      return Invalid(std::string(name) +
                     " must be UTF-8 text without control characters");
    }
  }
  if (in.details.size() > kMaxDetailsBytes) {
    return Invalid("details are longer than " +
                   std::to_string(kMaxDetailsBytes) + " bytes");
  }
  if (in.details.empty()) {
    out.details = "{}";
    return out;
  }
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(in.details, ec);
  if (ec || !details.is_object()) {
    return Invalid("details must be a JSON object");
  }
  out.details = boost::json::serialize(details);
  return out;
}

}  // namespace bulwark::audit

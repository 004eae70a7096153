#include "bulwark/bank/import_record.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "bulwark/bank/entry_text.h"
#include "bulwark/bank/import_input.h"

namespace bulwark::bank {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Long or binary values must not flood an error message.
std::string Quoted(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 80)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (s.size() > 80) out += "...";
  return "'" + out + "'";
}

Result<hash::SignalType> TypeFromLength(std::string_view hex) {
  switch (hex.size()) {
    case 32:
      return hash::SignalType::kMd5;
    case 40:
      return hash::SignalType::kSha1;
    case 64:
      return MakeError(ErrorCode::kInvalidArgument,
                       "a 64-digit value could be sha256 or pdq: write "
                       "'sha256:' or 'pdq:' before it, or give the type");
    default:
      return MakeError(ErrorCode::kInvalidArgument,
                       "value " + Quoted(hex) + " has " +
                           std::to_string(hex.size()) +
                           " characters, not the length of a supported hash "
                           "(md5 32, sha1 40, sha256 or pdq 64 hex digits)");
  }
}

Result<bool> ParseBool(std::string_view text) {
  const std::string t = Lower(TrimSpaces(text));
  if (t.empty() || t == "false" || t == "0" || t == "no") return false;
  if (t == "true" || t == "1" || t == "yes") return true;
  return MakeError(ErrorCode::kInvalidArgument,
                   "disabled must be true or false, got " + Quoted(text));
}

}  // namespace

Result<hash::Signal> ResolveSignal(std::string_view value,
                                   std::string_view type,
                                   std::optional<hash::SignalType> fallback) {
  value = TrimSpaces(value);
  type = TrimSpaces(type);
  if (value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the hash value is empty");
  }
  std::optional<hash::SignalType> given;
  if (!type.empty()) {
    auto t = hash::ParseSignalType(Lower(type));
    if (!t.ok()) return t.error();
    given = *t;
  }
  const size_t colon = value.find(':');
  if (colon != std::string_view::npos) {
    auto t = hash::ParseSignalType(Lower(value.substr(0, colon)));
    if (!t.ok()) return t.error();
    if (given && *given != *t) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("the type column says ") +
                           hash::SignalTypeName(*given) +
                           " but the value says " + hash::SignalTypeName(*t));
    }
    given = *t;
    value = value.substr(colon + 1);
  }
  if (!given) given = fallback;
  if (!given) {
    auto t = TypeFromLength(value);
    if (!t.ok()) return t.error();
    given = *t;
  }
  return hash::Signal::Parse(*given, value);
}

Result<NewEntry> MakeEntry(const RawRecord& r, const ImportOptions& options) {
  auto signal = ResolveSignal(r.value, r.type, options.signal_type);
  if (!signal.ok()) return signal.error();
  NewEntry e;
  e.signal = std::move(*signal);
  for (auto [what, text, out] :
       {std::tuple{"label", r.label, &e.label},
        std::tuple{"source id", TrimSpaces(r.source_id), &e.source_id}}) {
    auto v = ValidateEntryText(what, text);
    if (!v.ok()) return v.error();
    out->assign(text);
  }
  const std::string_view q = TrimSpaces(r.quality);
  if (!q.empty()) {
    int quality = -1;
    auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), quality);
    if (ec != std::errc() || end != q.data() + q.size() || quality < 0 ||
        quality > 100) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "quality must be an integer from 0 to 100, got " + Quoted(q));
    }
    e.quality = quality;
  }
  auto disabled = ParseBool(r.disabled);
  if (!disabled.ok()) return disabled.error();
  if (*disabled) {
    auto v = ValidateEntryText("disabled reason", r.disabled_reason);
    if (!v.ok()) return v.error();
    e.retracted_reason = std::string(r.disabled_reason);
  }
  return e;
}

std::string_view CanonicalField(std::string_view name) {
  const std::string n = Lower(TrimSpaces(name));
  if (n == "value" || n == "hash" || n == "signal") return "value";
  if (n == "type" || n == "signal_type") return "type";
  if (n == "label") return "label";
  if (n == "id" || n == "source_id") return "source_id";
  if (n == "quality") return "quality";
  if (n == "disabled") return "disabled";
  if (n == "disabled_reason") return "disabled_reason";
  return "";
}

}  // namespace bulwark::bank

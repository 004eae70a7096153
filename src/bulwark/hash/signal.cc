#include "bulwark/hash/signal.h"

#include "bulwark/core/hex.h"

namespace bulwark::hash {
namespace {

size_t HexLength(SignalType t) {
  switch (t) {
    case SignalType::kMd5:
      return 32;
    case SignalType::kSha1:
      return 40;
    case SignalType::kSha256:
      return 64;
    case SignalType::kPdq:
      return 64;
  }
  return 0;
}

}  // namespace

const char* SignalTypeName(SignalType t) {
  switch (t) {
    case SignalType::kMd5:
      return "md5";
    case SignalType::kSha1:
      return "sha1";
    case SignalType::kSha256:
      return "sha256";
    case SignalType::kPdq:
      return "pdq";
  }
  return "unknown";
}

Result<SignalType> ParseSignalType(std::string_view text) {
  for (SignalType t : {SignalType::kMd5, SignalType::kSha1, SignalType::kSha256,
                       SignalType::kPdq}) {
    if (text == SignalTypeName(t)) return t;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown hash type '" + std::string(text) +
                       "' (expected md5, sha1, sha256 or pdq)");
}

Result<Signal> Signal::Parse(SignalType type, std::string_view text) {
  if (text.size() != HexLength(type)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("a ") + SignalTypeName(type) + " hash is " +
                         std::to_string(HexLength(type)) + " hex digits, got " +
                         std::to_string(text.size()) + " characters");
  }
  auto bytes = HexDecode(text);
  if (!bytes.ok()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("bad ") + SignalTypeName(type) +
                         " hash: " + bytes.error().message);
  }
  std::string hex = HexEncode(*bytes);
  PdqHash pdq;
  if (type == SignalType::kPdq) pdq = *PdqHash::FromHex(hex);
  return Signal(type, pdq, std::move(hex));
}

Result<Signal> Signal::ParseTyped(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "expected 'type:hex', e.g. 'pdq:<64 hex digits>'");
  }
  auto type = ParseSignalType(text.substr(0, colon));
  if (!type.ok()) return type.error();
  return Parse(*type, text.substr(colon + 1));
}

Signal Signal::FromPdq(const PdqHash& pdq) {
  return Signal(SignalType::kPdq, pdq, pdq.ToHex());
}

std::string Signal::ToHex() const { return hex_; }

std::string Signal::ToTyped() const {
  return std::string(SignalTypeName(type_)) + ":" + hex_;
}

Result<int> Signal::Distance(const Signal& other) const {
  if (type_ != SignalType::kPdq || other.type_ != SignalType::kPdq) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("distance is defined for pdq hashes only, "
                                 "not ") +
                         SignalTypeName(type_) + " and " +
                         SignalTypeName(other.type_));
  }
  return pdq_.Distance(other.pdq_);
}

}  // namespace bulwark::hash

// Signal: one hash value of a known type, in the form hash lists exchange.
// This is the unit that banks store and indexes match.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"
#include "bulwark/hash/pdq_hash.h"

namespace bulwark::hash {

enum class SignalType { kMd5, kSha1, kSha256, kPdq };

const char* SignalTypeName(SignalType t);  // "md5", "sha1", "sha256", "pdq"
Result<SignalType> ParseSignalType(std::string_view text);

class Signal {
 public:
  // Parses the type's text form: lowercase or uppercase hex of exactly the
  // type's length (32, 40, 64 and 64 digits). Errors name the type and the
  // expected length.
  static Result<Signal> Parse(SignalType type, std::string_view text);
  // "type:hex", e.g. "pdq:f8f8...".
  static Result<Signal> ParseTyped(std::string_view text);
  static Signal FromPdq(const PdqHash& pdq);

  SignalType type() const { return type_; }
  // Lowercase hex; for PDQ, Meta's 64-digit form.
  std::string ToHex() const;
  // "type:hex".
  std::string ToTyped() const;

  // PDQ only: Hamming distance 0..256. Other pairs are an error: exact
  // digests match or do not, they have no distance.
  Result<int> Distance(const Signal& other) const;

  bool operator==(const Signal&) const = default;

 private:
  Signal(SignalType type, PdqHash pdq, std::string hex)
      : type_(type), pdq_(pdq), hex_(std::move(hex)) {}

  SignalType type_;
  PdqHash pdq_;      // set for kPdq
  std::string hex_;  // canonical lowercase text
};

}  // namespace bulwark::hash

// A CBOR (RFC 8949) encoder for the structures C2PA signs: claims,
// assertions and COSE headers. C2PA requires deterministic encoding, so
// every item is written in the core deterministic form of RFC 8949 §4.2.1:
// the shortest head for each integer and length, no indefinite lengths, and
// map entries sorted by the bytes of their encoded keys.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

// One CBOR data item, built as a tree and encoded by EncodeCbor.
class CborValue {
 public:
  using Array = std::vector<CborValue>;
  using Map = std::vector<std::pair<CborValue, CborValue>>;
  struct Null {};
  struct Tagged;

  static CborValue Uint(uint64_t v) { return CborValue(v); }
  // Negative values use major type 1; non-negative ones major type 0.
  static CborValue Int(int64_t v);
  static CborValue Bytes(std::span<const uint8_t> b) {
    return CborValue(std::vector<uint8_t>(b.begin(), b.end()));
  }
  static CborValue Text(std::string_view s) {
    return CborValue(std::string(s));
  }
  static CborValue MakeArray(Array items) {
    return CborValue(std::move(items));
  }
  // Entries in any order; encoding sorts them.
  static CborValue MakeMap(Map entries) {
    return CborValue(std::move(entries));
  }
  static CborValue MakeNull() { return CborValue(Null{}); }
  static CborValue Tag(uint64_t tag, CborValue item);

 private:
  friend class CborEncoder;
  struct NegativeInt {
    uint64_t minus_one;  // the value is -1 - minus_one
  };
  using Variant =
      std::variant<uint64_t, NegativeInt, std::vector<uint8_t>, std::string,
                   Array, Map, Null, std::shared_ptr<const Tagged>>;
  explicit CborValue(Variant v) : v_(std::move(v)) {}
  Variant v_;
};

struct CborValue::Tagged {
  uint64_t tag;
  CborValue item;
};

// Deterministic encoding of `value`. Fails with kInvalidArgument when a map
// holds the same key twice (deterministic CBOR forbids it).
Result<std::vector<uint8_t>> EncodeCbor(const CborValue& value);

}  // namespace bulwark::provenance

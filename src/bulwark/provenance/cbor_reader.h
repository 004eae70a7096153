// A bounded CBOR (RFC 8949) reader for the items a C2PA manifest carries:
// claims, assertions and COSE signatures. It decodes one item into a tree
// of views into the caller's bytes, so nothing is allocated from declared
// lengths: every node costs at least one input byte, and the depth and node
// count are capped. C2PA requires deterministic encoding, so
// indefinite-length items are rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct CborLimits {
  size_t max_depth = 24;     // nesting of arrays, maps and tags
  size_t max_items = 16384;  // nodes in the whole tree
};

struct CborItem {
  enum class Type {
    kUnsigned,  // value: the integer
    kNegative,  // value: n where the integer is -1 - n
    kBytes,     // bytes: the contents
    kText,      // bytes: the UTF-8 contents (not validated)
    kArray,     // children: the elements
    kMap,       // children: key, value, key, value, ...
    kTag,       // value: tag number; children: the one tagged item
    kSimple,    // value: 20 false, 21 true, 22 null, 23 undefined, ...
    kFloat,     // value: the raw IEEE bits (half, single or double)
  };
  Type type = Type::kSimple;
  uint64_t value = 0;
  std::span<const uint8_t> bytes;  // points into the decoded input
  std::vector<CborItem> children;

  bool IsText() const { return type == Type::kText; }
  bool IsBytes() const { return type == Type::kBytes; }
  bool IsMap() const { return type == Type::kMap; }
  bool IsArray() const { return type == Type::kArray; }
  bool IsNull() const { return type == Type::kSimple && value == 22; }
  std::string_view text() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  // The value of a map entry whose key is the text `key`, or the integer
  // `key`; nullptr when this is not a map or has no such key.
  const CborItem* Find(std::string_view key) const;
  const CborItem* Find(int64_t key) const;
  // A text member of a map, empty when missing or not text.
  std::string_view TextAt(std::string_view key) const;
};

// Decodes exactly one item spanning all of `bytes`; trailing bytes are an
// error. kCorrupt names the offset of the first problem; kLimitExceeded when
// the depth or item count limit is reached.
Result<CborItem> ReadCbor(std::span<const uint8_t> bytes,
                          const CborLimits& limits = {});

}  // namespace bulwark::provenance

// A bounded reader for JUMBF (ISO/IEC 19566-5), the box format of a C2PA
// manifest store: superboxes ('jumb') that start with a description box
// ('jumd': a content-type UUID and a label) followed by content boxes or
// further superboxes. Every declared length is checked against what its
// parent has left, nesting and the box count are capped, and nothing is
// copied: the tree holds views into the caller's bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct JumbfLimits {
  size_t max_depth = 12;    // nested superboxes (a C2PA store needs 4)
  size_t max_boxes = 4096;  // boxes of every kind in the whole store
};

// A content box: anything inside a superbox after its description that is
// not itself a superbox ('cbor', 'json', 'bidb', 'uuid', ...).
struct JumbfBox {
  std::string type;                  // the four type characters
  size_t offset = 0;                 // of the box header in the store
  std::span<const uint8_t> payload;  // the box without its header
};

struct JumbfSuperbox {
  size_t offset = 0;  // of the 'jumb' header in the store
  // Everything after the 'jumb' header: the description box and the content
  // boxes. C2PA hashed URIs hash exactly these bytes.
  std::span<const uint8_t> contents;
  std::array<uint8_t, 16> content_type{};  // the description's type UUID
  std::string label;                       // empty when it has none
  std::vector<JumbfSuperbox> children;     // nested superboxes, in order
  std::vector<JumbfBox> boxes;             // content boxes, in order

  // The first four bytes of the type UUID as text: C2PA types are
  // "c2pa", "c2ma", "c2as", "c2cl", "c2cs", "cbor", "json", ...
  std::string_view ContentTypeName() const {
    return {reinterpret_cast<const char*>(content_type.data()), 4};
  }
  // The direct child superbox labelled `label`, or nullptr.
  const JumbfSuperbox* Child(std::string_view label) const;
};

// Reads `store`, which must be exactly one superbox. kCorrupt names the box
// and its offset in `store` ("JUMBF box 'jumd' at offset 812 declares
// 4294967295 bytes but only 120 remain"); kLimitExceeded for the limits.
Result<JumbfSuperbox> ReadJumbf(std::span<const uint8_t> store,
                                const JumbfLimits& limits = {});

}  // namespace bulwark::provenance

// Base64 (RFC 4648) and base64 data URIs (RFC 2397), for images that
// arrive inside JSON requests. Decoding is bounded: the decoded size is
// known, and checked against the caller's limit, before any buffer is
// allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark {

// Standard alphabet, with '=' padding.
std::string Base64Encode(std::span<const uint8_t> bytes);

// Accepts the standard and the URL-safe alphabet ('-', '_'), padded or not,
// and ignores ASCII whitespace (line-wrapped base64). kInvalidArgument
// naming the position (0-based, in `text`) of a character outside the
// alphabet or misplaced padding, or for a length no encoder produces;
// kLimitExceeded, before decoding, when the result would be larger than
// `max_bytes`.
Result<std::vector<uint8_t>> Base64Decode(std::string_view text,
                                          size_t max_bytes);

struct DataUri {
  // Lowercased type/subtype ("image/png"); parameters are dropped. Empty
  // when the URI gives none.
  std::string media_type;
  std::vector<uint8_t> bytes;
};

// "data:[<mediatype>][;base64],<data>". Only base64 data: a percent-encoded
// data URI is kUnsupported. Other malformed input is kInvalidArgument; the
// decoded data is limited to `max_bytes` as in Base64Decode.
Result<DataUri> ParseDataUri(std::string_view uri, size_t max_bytes);

}  // namespace bulwark

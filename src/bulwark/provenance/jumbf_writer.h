// JUMBF (ISO/IEC 19566-5) boxes as C2PA lays out a manifest store: each
// superbox (`jumb`) starts with a description box (`jumd`: a type UUID,
// toggles and a label) followed by content boxes (`cbor`, `json`) or further
// superboxes. Every box is LBox (4 bytes, big-endian, the whole box's size)
// + TBox (4 ASCII bytes) + payload.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace bulwark::provenance {

using JumbfUuid = std::array<uint8_t, 16>;

// C2PA's type UUIDs: four ASCII letters followed by the ISO suffix
// 0011-0010-8000-00AA00389B71.
JumbfUuid C2paUuid(const char (&fourcc)[5]);
inline const JumbfUuid kManifestStoreUuid = C2paUuid("c2pa");
inline const JumbfUuid kManifestUuid = C2paUuid("c2ma");
inline const JumbfUuid kAssertionStoreUuid = C2paUuid("c2as");
inline const JumbfUuid kClaimUuid = C2paUuid("c2cl");
inline const JumbfUuid kSignatureUuid = C2paUuid("c2cs");
inline const JumbfUuid kCborAssertionUuid = C2paUuid("cbor");

// Size of the LBox + TBox header.
inline constexpr size_t kJumbfBoxHeaderSize = 8;

// One box: header + payload. `type` is four ASCII characters. The caller
// keeps payloads far below 4 GiB (manifests are kilobytes); a larger one
// would need the XLBox form, which this writer does not produce.
std::vector<uint8_t> JumbfBox(std::string_view type,
                              std::span<const uint8_t> payload);

// A superbox: a requestable, labelled description box then `children`
// (each a complete box), wrapped in `jumb`. `label` must not contain NUL.
std::vector<uint8_t> JumbfSuperbox(
    const JumbfUuid& uuid, std::string_view label,
    std::span<const std::vector<uint8_t>> children);

// A superbox holding one content box of `content_type` ("cbor", "json"),
// the shape of every C2PA assertion, claim and signature.
std::vector<uint8_t> JumbfContentSuperbox(const JumbfUuid& uuid,
                                          std::string_view label,
                                          std::string_view content_type,
                                          std::span<const uint8_t> content);

}  // namespace bulwark::provenance

// Placing XMP and a C2PA manifest store in a JPEG. The store travels in
// APP11 marker segments in the JPEG XT box format (ISO/IEC 18477-3): each
// segment carries "JP", a box instance number, a packet sequence number and
// the superbox's LBox/TBox header, then the next piece of the store, so a
// store of any size spans as many segments as it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct JpegLayout {
  // Where the manifest goes: after SOI and the APP0 (JFIF) and APP1 (Exif,
  // XMP) segments that lead the file, which readers expect first.
  size_t manifest_offset = 0;
  // The first standard XMP APP1 segment (marker included), if any.
  std::optional<size_t> xmp_segment_offset;
  size_t xmp_segment_size = 0;
  std::string_view xmp_packet;  // into the scanned bytes
  // An APP11 JUMBF segment is present (an existing C2PA manifest).
  bool has_manifest = false;
};

// Walks the marker segments up to the first scan (SOS). kCorrupt for a file
// that is not a JPEG or whose segments overrun it.
Result<JpegLayout> ScanJpeg(std::span<const uint8_t> jpeg);
// The layout points into the bytes, so they must outlive it.
Result<JpegLayout> ScanJpeg(std::vector<uint8_t>&&) = delete;

// `jpeg` with `xmp_packet` in place of its XMP segment, or in a new APP1
// segment at the manifest offset when it has none. kLimitExceeded when the
// packet does not fit one segment (extended XMP is not written).
Result<std::vector<uint8_t>> JpegWithXmp(std::span<const uint8_t> jpeg,
                                         const JpegLayout& layout,
                                         std::string_view xmp_packet);

// Bytes the APP11 segments for a `jumbf_size`-byte store occupy, markers
// included: the length of the hard binding's exclusion.
size_t JpegManifestSegmentsSize(size_t jumbf_size);

// `jpeg` with `jumbf` (a complete manifest store superbox) inserted at
// `offset` as APP11 segments.
std::vector<uint8_t> JpegWithManifest(std::span<const uint8_t> jpeg,
                                      size_t offset,
                                      std::span<const uint8_t> jumbf);

}  // namespace bulwark::provenance

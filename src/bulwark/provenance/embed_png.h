// Placing XMP and a C2PA manifest store in a PNG: the store is one `caBX`
// chunk right after IHDR; XMP is an uncompressed iTXt chunk with keyword
// "XML:com.adobe.xmp".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

struct PngLayout {
  size_t manifest_offset = 0;  // just after the IHDR chunk
  // The XMP iTXt chunk (length field to CRC), if any.
  std::optional<size_t> xmp_chunk_offset;
  size_t xmp_chunk_size = 0;
  std::string_view xmp_packet;  // into the scanned bytes
  bool has_manifest = false;    // a caBX chunk is present
};

// Walks the chunks up to IEND. kCorrupt for a file that is not a PNG or
// whose chunks overrun it; kUnsupported for compressed XMP.
Result<PngLayout> ScanPng(std::span<const uint8_t> png);
// The layout points into the bytes, so they must outlive it.
Result<PngLayout> ScanPng(std::vector<uint8_t>&&) = delete;

// `png` with `xmp_packet` in place of its XMP chunk, or in a new chunk at
// the manifest offset when it has none.
std::vector<uint8_t> PngWithXmp(std::span<const uint8_t> png,
                                const PngLayout& layout,
                                std::string_view xmp_packet);

// Bytes of the caBX chunk for a `jumbf_size`-byte store (length, type and
// CRC included): the length of the hard binding's exclusion.
size_t PngManifestChunkSize(size_t jumbf_size);

// `png` with `jumbf` inserted at `offset` as a caBX chunk.
std::vector<uint8_t> PngWithManifest(std::span<const uint8_t> png,
                                     size_t offset,
                                     std::span<const uint8_t> jumbf);

}  // namespace bulwark::provenance

// Finds the C2PA manifest store in a JPEG. The store is a JUMBF superbox
// carried in APP11 segments as JPEG XT (ISO/IEC 18477-3) defines: each
// segment holds "JP", a box instance number, a packet sequence number
// (from 1) and a copy of the box header, then the next part of the box.
// Segments are grouped by instance and joined in sequence order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "bulwark/core/result.h"
#include "bulwark/provenance/manifest_store.h"

namespace bulwark::provenance {

// Scans the marker segments before the first scan (SOS). nullopt when no
// APP11 JUMBF box has the C2PA store type. kCorrupt when the store's
// segments are missing, repeated or not contiguous, or when two stores are
// present; kLimitExceeded, before copying, when the store would exceed
// `max_store_bytes`; kCorrupt too for an APP11 segment cut off by the end
// of the file. Other framing problems end the scan without an error: they
// are the image decoder's business, and the hard binding covers those
// bytes anyway.
Result<std::optional<EmbeddedStore>> LocateJpegStore(
    std::span<const uint8_t> jpeg, size_t max_store_bytes);

}  // namespace bulwark::provenance

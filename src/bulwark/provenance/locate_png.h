// Finds the C2PA manifest store in a PNG: the JUMBF superbox is the data of
// a 'caBX' chunk (C2PA 2.x, "Embedding manifests into PNG").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "bulwark/core/result.h"
#include "bulwark/provenance/manifest_store.h"

namespace bulwark::provenance {

// Walks the chunks up to IEND. nullopt when there is no 'caBX' chunk;
// kCorrupt when there are two; kLimitExceeded, before copying, when the
// chunk is larger than `max_store_bytes`. The store's range is the whole
// chunk: length, type, data and CRC. A 'caBX' chunk cut off by the end of
// the file is kCorrupt; other framing problems end the walk without an
// error, as for JPEG.
Result<std::optional<EmbeddedStore>> LocatePngStore(
    std::span<const uint8_t> png, size_t max_store_bytes);

}  // namespace bulwark::provenance

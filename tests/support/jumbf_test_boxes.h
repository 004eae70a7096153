// Hand-made JUMBF boxes and JPEG/PNG containers for the manifest parser
// tests: well-formed pieces to combine, and the raw bytes to break them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::testing {

using Bytes = std::vector<uint8_t>;

// A box: 4-byte big-endian length (header included), type, payload.
Bytes BoxBytes(const std::string& type, const Bytes& payload);

// A description box ('jumd') with the C2PA-style type UUID whose first four
// bytes are `content_type` ("c2pa", "c2ma", "cbor", ...) and `label`.
Bytes DescriptionBytes(const std::string& content_type,
                       const std::string& label);

// A superbox ('jumb'): the description, then `contents` (boxes) as given.
Bytes SuperboxBytes(const std::string& content_type, const std::string& label,
                    const std::vector<Bytes>& contents);

// A minimal JPEG (SOI, the APP11 segments carrying `store` in packets of at
// most `packet_bytes` box bytes, a COM segment, EOI). The segments' box
// instance is 1 and sequence numbers count from 1.
Bytes JpegWithStore(const Bytes& store, size_t packet_bytes = 65000);

// A PNG signature, an IHDR chunk, a caBX chunk with `store`, IEND. CRCs are
// zero: the locator does not check them.
Bytes PngWithStore(const Bytes& store);

}  // namespace bulwark::testing

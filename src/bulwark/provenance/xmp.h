// The IPTC digital source type as XMP metadata, written into an image before
// it is signed, so that tools which read only XMP (and not C2PA) still see
// that the image was generated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::provenance {

// IPTC's term for media created by a trained model (generative AI).
inline constexpr std::string_view kTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

// An XMP packet declaring Iptc4xmpExt:DigitalSourceType `source_type` (a
// URI without characters that need XML escaping, such as the constant
// above). With `existing`, that packet keeps all it says and gains one
// rdf:Description carrying the property; kUnsupported when it has no
// rdf:RDF element to extend or already declares a DigitalSourceType.
Result<std::string> XmpWithDigitalSourceType(
    std::optional<std::string_view> existing, std::string_view source_type);

}  // namespace bulwark::provenance

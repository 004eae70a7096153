#include "bulwark/provenance/xmp.h"

namespace bulwark::provenance {
namespace {

std::string Description(std::string_view source_type) {
  return "<rdf:Description rdf:about=\"\" "
         "xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" "
         "Iptc4xmpExt:DigitalSourceType=\"" +
         std::string(source_type) + "\"/>";
}

}  // namespace

Result<std::string> XmpWithDigitalSourceType(
    std::optional<std::string_view> existing, std::string_view source_type) {
  if (!existing) {
    return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
           "<rdf:RDF "
           "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
           Description(source_type) +
           "</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
  }
  if (existing->find("DigitalSourceType") != std::string_view::npos) {
    return MakeError(ErrorCode::kUnsupported,
                     "the image's XMP metadata already declares a digital "
                     "source type");
  }
  // XMP allows several rdf:Description elements about the same resource,
  // so adding one leaves every existing property untouched.
  const size_t end = existing->rfind("</rdf:RDF>");
  if (end == std::string_view::npos) {
    return MakeError(ErrorCode::kUnsupported,
                     "the image's XMP metadata has no rdf:RDF element");
  }
  std::string merged(existing->substr(0, end));
  merged += Description(source_type);
  merged += existing->substr(end);
  return merged;
}

}  // namespace bulwark::provenance

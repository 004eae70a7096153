#include "bulwark/provenance/jumbf_writer.h"

#include <cassert>

namespace bulwark::provenance {
namespace {

// Description box toggles (ISO/IEC 19566-5 §B.3): requestable, label present.
constexpr uint8_t kRequestable = 0x01;
constexpr uint8_t kHasLabel = 0x02;

void AppendBoxHeader(std::string_view type, size_t payload_size,
                     std::vector<uint8_t>& out) {
  assert(type.size() == 4);
  const uint64_t size = payload_size + kJumbfBoxHeaderSize;
  assert(size <= 0xffffffffu);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(size >> shift));
  }
  out.insert(out.end(), type.begin(), type.end());
}

}  // namespace

JumbfUuid C2paUuid(const char (&fourcc)[5]) {
  return {static_cast<uint8_t>(fourcc[0]),
          static_cast<uint8_t>(fourcc[1]),
          static_cast<uint8_t>(fourcc[2]),
          static_cast<uint8_t>(fourcc[3]),
          0x00,
          0x11,
          0x00,
          0x10,
          0x80,
          0x00,
          0x00,
          0xaa,
          0x00,
          0x38,
          0x9b,
          0x71};
}

std::vector<uint8_t> JumbfBox(std::string_view type,
                              std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(kJumbfBoxHeaderSize + payload.size());
  AppendBoxHeader(type, payload.size(), out);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> JumbfSuperbox(
    const JumbfUuid& uuid, std::string_view label,
    std::span<const std::vector<uint8_t>> children) {
  assert(label.find('\0') == std::string_view::npos);
  // jumd payload: UUID, toggles, NUL-terminated UTF-8 label.
  const size_t description_payload = uuid.size() + 1 + label.size() + 1;
  size_t payload = kJumbfBoxHeaderSize + description_payload;
  for (const auto& child : children) payload += child.size();

  std::vector<uint8_t> out;
  out.reserve(kJumbfBoxHeaderSize + payload);
  AppendBoxHeader("jumb", payload, out);
  AppendBoxHeader("jumd", description_payload, out);
  out.insert(out.end(), uuid.begin(), uuid.end());
  out.push_back(kRequestable | kHasLabel);
  out.insert(out.end(), label.begin(), label.end());
  out.push_back(0);
  for (const auto& child : children) {
    out.insert(out.end(), child.begin(), child.end());
  }
  return out;
}

std::vector<uint8_t> JumbfContentSuperbox(const JumbfUuid& uuid,
                                          std::string_view label,
                                          std::string_view content_type,
                                          std::span<const uint8_t> content) {
  const std::vector<uint8_t> children[] = {JumbfBox(content_type, content)};
  return JumbfSuperbox(uuid, label, children);
}

}  // namespace bulwark::provenance

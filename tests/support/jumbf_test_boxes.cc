#include "support/jumbf_test_boxes.h"

#include <algorithm>

namespace bulwark::testing {
namespace {

void Be32(Bytes& out, uint64_t v) {
  const size_t n = out.size();
  out.resize(n + 4);
  for (size_t i = 0; i < 4; ++i) {
    out[n + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  }
}

void Append(Bytes& out, const Bytes& more) {
  out.insert(out.end(), more.begin(), more.end());
}

}  // namespace

Bytes BoxBytes(const std::string& type, const Bytes& payload) {
  Bytes out(8 + payload.size());
  const size_t size = out.size();
  for (size_t i = 0; i < 4; ++i) {
    out[i] = static_cast<uint8_t>(size >> (24 - 8 * i));
    out[4 + i] = static_cast<uint8_t>(type[i]);
  }
  std::copy(payload.begin(), payload.end(), out.begin() + 8);
  return out;
}

Bytes DescriptionBytes(const std::string& content_type,
                       const std::string& label) {
  // The C2PA UUIDs: four type characters, then 0011-0010-8000-00AA00389B71.
  Bytes payload(content_type.begin(), content_type.end());
  Append(payload, {0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38,
                   0x9b, 0x71});
  payload.push_back(0x03);  // requestable, label present
  payload.insert(payload.end(), label.begin(), label.end());
  payload.push_back(0);
  return BoxBytes("jumd", payload);
}

Bytes SuperboxBytes(const std::string& content_type, const std::string& label,
                    const std::vector<Bytes>& contents) {
  Bytes payload = DescriptionBytes(content_type, label);
  for (const Bytes& c : contents) Append(payload, c);
  return BoxBytes("jumb", payload);
}

Bytes JpegWithStore(const Bytes& store, size_t packet_bytes) {
  Bytes out = {0xff, 0xd8};
  // Every packet repeats the box header (the store's first 8 bytes).
  const Bytes header(store.begin(), store.begin() + 8);
  uint32_t sequence = 1;
  for (size_t pos = 8; pos < store.size(); pos += packet_bytes, ++sequence) {
    const size_t n = std::min(packet_bytes, store.size() - pos);
    const size_t length = 2 + 8 + header.size() + n;
    Append(out, {0xff, 0xeb, static_cast<uint8_t>(length >> 8),
                 static_cast<uint8_t>(length), 'J', 'P', 0x00, 0x01});
    Be32(out, sequence);
    Append(out, header);
    out.insert(out.end(), store.begin() + pos, store.begin() + pos + n);
  }
  Append(out, {0xff, 0xfe, 0x00, 0x06, 't', 'e', 's', 't', 0xff, 0xd9});
  return out;
}

Bytes PngWithStore(const Bytes& store) {
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  auto chunk = [&](const std::string& type, const Bytes& data) {
    Be32(out, data.size());
    out.insert(out.end(), type.begin(), type.end());
    Append(out, data);
    Be32(out, 0);
  };
  chunk("IHDR", {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0});
  chunk("caBX", store);
  chunk("IEND", {});
  return out;
}

}  // namespace bulwark::testing

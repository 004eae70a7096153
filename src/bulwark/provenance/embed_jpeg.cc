#include "bulwark/provenance/embed_jpeg.h"

#include <algorithm>
#include <string>

#include "bulwark/provenance/jumbf_writer.h"

namespace bulwark::provenance {
namespace {

constexpr uint8_t kSoi = 0xd8;
constexpr uint8_t kEoi = 0xd9;
constexpr uint8_t kSos = 0xda;
constexpr uint8_t kApp0 = 0xe0;
constexpr uint8_t kApp1 = 0xe1;
constexpr uint8_t kApp11 = 0xeb;
// A segment's length field counts itself; 65535 is its largest value.
constexpr size_t kMaxSegmentLength = 0xffff;
constexpr std::string_view kXmpSignature("http://ns.adobe.com/xap/1.0/\0", 29);
// JPEG XT header of every APP11 segment: "JP", box instance number (En),
// packet sequence number (Z).
constexpr size_t kApp11Header = 2 + 2 + 4;
// Any instance number works as long as all segments of one box share it;
// c2pa-rs uses this one.
constexpr uint16_t kBoxInstance = 0x0211;
// Bytes of store each APP11 segment carries after its headers.
constexpr size_t kApp11Payload =
    kMaxSegmentLength - 2 - kApp11Header - kJumbfBoxHeaderSize;

bool StartsWith(std::span<const uint8_t> bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(
             prefix.begin(), prefix.end(), bytes.begin(),
             [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; });
}

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorrupt, "JPEG " + what);
}

void AppendSegmentHead(uint8_t marker, size_t payload_size,
                       std::vector<uint8_t>& out) {
  const size_t length = payload_size + 2;
  out.insert(out.end(), {0xff, marker, static_cast<uint8_t>(length >> 8),
                         static_cast<uint8_t>(length)});
}

}  // namespace

Result<JpegLayout> ScanJpeg(std::span<const uint8_t> jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != 0xff || jpeg[1] != kSoi) {
    return Corrupt("does not start with SOI");
  }
  JpegLayout layout;
  bool leading = true;
  size_t pos = 2;
  layout.manifest_offset = pos;
  while (true) {
    if (pos + 2 > jpeg.size() || jpeg[pos] != 0xff) {
      return Corrupt("marker expected at byte " + std::to_string(pos));
    }
    // Any number of 0xFF fill bytes may precede a marker.
    size_t m = pos + 1;
    while (m < jpeg.size() && jpeg[m] == 0xff) ++m;
    if (m >= jpeg.size()) return Corrupt("ends inside a marker");
    const uint8_t marker = jpeg[m];
    if (marker == kSos) break;
    if (marker == kEoi) return Corrupt("ends before any image data");
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos = m + 1;  // markers without a length field
      leading = false;
      continue;
    }
    if (m + 3 > jpeg.size()) return Corrupt("ends inside a segment length");
    const size_t length = (size_t{jpeg[m + 1]} << 8) | jpeg[m + 2];
    if (length < 2 || m + 1 + length > jpeg.size()) {
      return Corrupt("segment at byte " + std::to_string(pos) +
                     " overruns the file");
    }
    const auto payload = jpeg.subspan(m + 3, length - 2);
    const size_t end = m + 1 + length;
    if (marker == kApp1 && !layout.xmp_segment_offset &&
        StartsWith(payload, kXmpSignature)) {
      layout.xmp_segment_offset = pos;
      layout.xmp_segment_size = end - pos;
      layout.xmp_packet = std::string_view(
          reinterpret_cast<const char*>(payload.data()) + kXmpSignature.size(),
          payload.size() - kXmpSignature.size());
    }
    if (marker == kApp11 && StartsWith(payload, "JP")) {
      layout.has_manifest = true;
    }
    leading = leading && (marker == kApp0 || marker == kApp1);
    if (leading) layout.manifest_offset = end;
    pos = end;
  }
  return layout;
}

Result<std::vector<uint8_t>> JpegWithXmp(std::span<const uint8_t> jpeg,
                                         const JpegLayout& layout,
                                         std::string_view xmp_packet) {
  const size_t payload = kXmpSignature.size() + xmp_packet.size();
  if (payload + 2 > kMaxSegmentLength) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "the XMP metadata (" + std::to_string(xmp_packet.size()) +
                         " bytes) does not fit one JPEG segment");
  }
  const size_t at = layout.xmp_segment_offset.value_or(layout.manifest_offset);
  const size_t replaced =
      layout.xmp_segment_offset ? layout.xmp_segment_size : 0;
  std::vector<uint8_t> out;
  out.reserve(jpeg.size() + payload + 4);
  out.insert(out.end(), jpeg.begin(), jpeg.begin() + at);
  AppendSegmentHead(kApp1, payload, out);
  out.insert(out.end(), kXmpSignature.begin(), kXmpSignature.end());
  out.insert(out.end(), xmp_packet.begin(), xmp_packet.end());
  out.insert(out.end(), jpeg.begin() + at + replaced, jpeg.end());
  return out;
}

size_t JpegManifestSegmentsSize(size_t jumbf_size) {
  const size_t content = jumbf_size - kJumbfBoxHeaderSize;
  const size_t segments =
      std::max<size_t>(1, (content + kApp11Payload - 1) / kApp11Payload);
  return content + segments * (4 + kApp11Header + kJumbfBoxHeaderSize);
}

std::vector<uint8_t> JpegWithManifest(std::span<const uint8_t> jpeg,
                                      size_t offset,
                                      std::span<const uint8_t> jumbf) {
  const auto box_header = jumbf.first(kJumbfBoxHeaderSize);
  const auto content = jumbf.subspan(kJumbfBoxHeaderSize);
  std::vector<uint8_t> out;
  out.reserve(jpeg.size() + JpegManifestSegmentsSize(jumbf.size()));
  out.insert(out.end(), jpeg.begin(), jpeg.begin() + offset);
  uint32_t sequence = 1;
  size_t done = 0;
  do {
    const size_t piece = std::min(kApp11Payload, content.size() - done);
    AppendSegmentHead(kApp11, kApp11Header + kJumbfBoxHeaderSize + piece, out);
    out.insert(out.end(), {'J', 'P', static_cast<uint8_t>(kBoxInstance >> 8),
                           static_cast<uint8_t>(kBoxInstance & 0xff),
                           static_cast<uint8_t>(sequence >> 24),
                           static_cast<uint8_t>(sequence >> 16),
                           static_cast<uint8_t>(sequence >> 8),
                           static_cast<uint8_t>(sequence)});
    out.insert(out.end(), box_header.begin(), box_header.end());
    out.insert(out.end(), content.begin() + done,
               content.begin() + done + piece);
    done += piece;
    ++sequence;
  } while (done < content.size());
  out.insert(out.end(), jpeg.begin() + offset, jpeg.end());
  return out;
}

}  // namespace bulwark::provenance

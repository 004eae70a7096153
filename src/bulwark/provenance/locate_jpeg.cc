#include "bulwark/provenance/locate_jpeg.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace bulwark::provenance {
namespace {

// A JPEG with more JUMBF segments than this is not a plausible C2PA asset
// (a 1 MiB store needs 17); the cap bounds the bookkeeping.
constexpr size_t kMaxJumbfSegments = 4096;

uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 |
         p[3];
}

struct JumbfSegment {
  uint16_t instance = 0;
  uint32_t sequence = 0;
  size_t begin = 0;                     // of the FF EB marker
  size_t end = 0;                       // one past the segment
  std::span<const uint8_t> box_header;  // LBox, TBox and any XLBox
  std::span<const uint8_t> data;        // this segment's part of the box
};

// "JP", En, Z, LBox, TBox: the smallest JUMBF segment payload.
constexpr size_t kSegmentPrefix = 2 + 2 + 4 + 8;

// A C2PA store's first segment carries the superbox header, then the
// description box header, then its type UUID starting "c2pa".
bool StartsC2paStore(const JumbfSegment& s) {
  return s.sequence == 1 &&
         std::memcmp(s.box_header.data() + 4, "jumb", 4) == 0 &&
         s.data.size() >= 12 &&
         std::memcmp(s.data.data() + 4, "jumd", 4) == 0 &&
         std::memcmp(s.data.data() + 8, "c2pa", 4) == 0;
}

Result<std::vector<JumbfSegment>> ScanJumbfSegments(
    std::span<const uint8_t> jpeg) {
  std::vector<JumbfSegment> segments;
  size_t pos = 2;
  while (jpeg.size() - pos >= 4) {
    if (jpeg[pos] != 0xff) break;
    const uint8_t marker = jpeg[pos + 1];
    if (marker == 0xff) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xd8 || marker == 0x01 ||
        (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;  // markers without a length
      continue;
    }
    if (marker == 0xd9 || marker == 0xda) break;  // EOI, or entropy data
    const size_t length = size_t{jpeg[pos + 2]} << 8 | jpeg[pos + 3];
    if (length < 2) break;
    if (length > jpeg.size() - pos - 2) {
      if (marker != 0xeb) break;
      // A cut-off APP11 segment may be a cut-off manifest store: say so
      // rather than report an image without one.
      return MakeError(ErrorCode::kCorrupt,
                       "JPEG APP11 segment at offset " + std::to_string(pos) +
                           " declares " + std::to_string(length) +
                           " bytes but only " +
                           std::to_string(jpeg.size() - pos - 2) + " remain");
    }
    const size_t end = pos + 2 + length;
    const uint8_t* payload = &jpeg[pos + 4];
    const size_t payload_size = length - 2;
    if (marker == 0xeb && payload_size >= kSegmentPrefix && payload[0] == 'J' &&
        payload[1] == 'P') {
      if (segments.size() == kMaxJumbfSegments) {
        return MakeError(ErrorCode::kLimitExceeded,
                         "JPEG has more than " +
                             std::to_string(kMaxJumbfSegments) +
                             " APP11 JUMBF segments");
      }
      JumbfSegment s;
      s.instance = static_cast<uint16_t>(payload[2] << 8 | payload[3]);
      s.sequence = Be32(payload + 4);
      s.begin = pos;
      s.end = end;
      size_t header = 8;
      if (Be32(payload + 8) == 1) header = 16;  // extended length follows
      if (payload_size - 8 < header) break;
      s.box_header = {payload + 8, header};
      s.data = {payload + 8 + header, payload_size - 8 - header};
      segments.push_back(s);
    }
    pos = end;
  }
  return segments;
}

}  // namespace

Result<std::optional<EmbeddedStore>> LocateJpegStore(
    std::span<const uint8_t> jpeg, size_t max_store_bytes) {
  if (jpeg.size() < 2 || jpeg[0] != 0xff || jpeg[1] != 0xd8) {
    return MakeError(ErrorCode::kInvalidArgument, "not a JPEG file");
  }
  auto scanned = ScanJumbfSegments(jpeg);
  if (!scanned.ok()) return scanned.error();
  std::vector<JumbfSegment>& all = *scanned;

  const JumbfSegment* first = nullptr;
  for (const JumbfSegment& s : all) {
    if (!StartsC2paStore(s)) continue;
    if (first) {
      return MakeError(ErrorCode::kCorrupt,
                       "JPEG has two C2PA manifest stores (APP11 segments at "
                       "offsets " +
                           std::to_string(first->begin) + " and " +
                           std::to_string(s.begin) + ")");
    }
    first = &s;
  }
  if (!first) return std::optional<EmbeddedStore>();

  std::vector<JumbfSegment> parts;
  for (const JumbfSegment& s : all) {
    if (s.instance == first->instance) parts.push_back(s);
  }
  std::sort(parts.begin(), parts.end(),
            [](const JumbfSegment& a, const JumbfSegment& b) {
              return a.sequence < b.sequence;
            });
  size_t total = first->box_header.size();
  for (size_t i = 0; i < parts.size(); ++i) {
    const JumbfSegment& s = parts[i];
    if (s.sequence != i + 1) {
      return MakeError(
          ErrorCode::kCorrupt,
          "C2PA manifest store in JPEG APP11 segments has packet " +
              std::to_string(s.sequence) + " where packet " +
              std::to_string(i + 1) + " was expected");
    }
    if (i > 0 && s.begin != parts[i - 1].end) {
      return MakeError(ErrorCode::kCorrupt,
                       "C2PA manifest store's APP11 segments are not "
                       "contiguous (packet " +
                           std::to_string(s.sequence) + " at offset " +
                           std::to_string(s.begin) + ")");
    }
    total += s.data.size();
    if (total > max_store_bytes) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "C2PA manifest store exceeds the limit of " +
                           std::to_string(max_store_bytes) + " bytes");
    }
  }

  EmbeddedStore store;
  store.jumbf.reserve(total);
  store.jumbf.assign(first->box_header.begin(), first->box_header.end());
  for (const JumbfSegment& s : parts) {
    store.jumbf.insert(store.jumbf.end(), s.data.begin(), s.data.end());
  }
  store.begin = parts.front().begin;
  store.end = parts.back().end;
  return std::optional<EmbeddedStore>(std::move(store));
}

}  // namespace bulwark::provenance

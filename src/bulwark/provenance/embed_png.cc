#include "bulwark/provenance/embed_png.h"

#include <zlib.h>

#include <algorithm>
#include <string>

namespace bulwark::provenance {
namespace {

constexpr uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// Length (4) + type (4) before the data, CRC (4) after it.
constexpr size_t kChunkOverhead = 12;
// PNG chunk lengths are at most 2^31 - 1.
constexpr uint32_t kMaxChunkLength = 0x7fffffff;
// iTXt: keyword, NUL, compression flag, compression method, then the
// language tag and the translated keyword, each NUL-terminated.
constexpr std::string_view kXmpKeyword("XML:com.adobe.xmp\0", 18);

uint32_t ReadU32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) |
         (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

bool TypeIs(std::span<const uint8_t> b, size_t at, std::string_view type) {
  return std::equal(
      type.begin(), type.end(), b.begin() + at,
      [](char a, uint8_t c) { return static_cast<uint8_t>(a) == c; });
}

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorrupt, "PNG " + what);
}

// The text of an XMP iTXt chunk's data, or nothing for another keyword.
Result<std::optional<std::string_view>> XmpText(std::span<const uint8_t> data) {
  const std::string_view text(reinterpret_cast<const char*>(data.data()),
                              data.size());
  if (!text.starts_with(kXmpKeyword)) return std::optional<std::string_view>();
  if (text.size() < kXmpKeyword.size() + 2)
    return Corrupt("iTXt chunk too short");
  if (text[kXmpKeyword.size()] != 0) {
    return MakeError(ErrorCode::kUnsupported,
                     "the PNG's XMP metadata is compressed");
  }
  size_t at = kXmpKeyword.size() + 2;
  for (int field = 0; field < 2; ++field) {  // language tag, translated keyword
    const size_t nul = text.find('\0', at);
    if (nul == std::string_view::npos) return Corrupt("iTXt chunk malformed");
    at = nul + 1;
  }
  return std::optional<std::string_view>(text.substr(at));
}

void AppendChunk(std::string_view type, std::span<const uint8_t> prefix,
                 std::span<const uint8_t> data, std::vector<uint8_t>& out) {
  const size_t length = prefix.size() + data.size();
  const size_t start = out.size();
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(length >> shift));
  }
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), prefix.begin(), prefix.end());
  out.insert(out.end(), data.begin(), data.end());
  // The CRC covers the type and the data, not the length.
  const uLong crc = crc32_z(0, out.data() + start + 4, length + 4);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(crc >> shift));
  }
}

}  // namespace

Result<PngLayout> ScanPng(std::span<const uint8_t> png) {
  if (png.size() < sizeof kSignature + kChunkOverhead ||
      !std::equal(std::begin(kSignature), std::end(kSignature), png.begin())) {
    return Corrupt("signature missing");
  }
  PngLayout layout;
  size_t pos = sizeof kSignature;
  bool first = true;
  while (true) {
    if (png.size() - pos < kChunkOverhead) return Corrupt("ends before IEND");
    const uint32_t length = ReadU32(png, pos);
    if (length > kMaxChunkLength ||
        length > png.size() - pos - kChunkOverhead) {
      return Corrupt("chunk at byte " + std::to_string(pos) +
                     " overruns the file");
    }
    const size_t end = pos + kChunkOverhead + length;
    if (first) {
      if (!TypeIs(png, pos + 4, "IHDR"))
        return Corrupt("does not start with IHDR");
      layout.manifest_offset = end;
      first = false;
    } else if (TypeIs(png, pos + 4, "caBX")) {
      layout.has_manifest = true;
    } else if (TypeIs(png, pos + 4, "iTXt") && !layout.xmp_chunk_offset) {
      auto xmp = XmpText(png.subspan(pos + 8, length));
      if (!xmp.ok()) return xmp.error();
      if (*xmp) {
        layout.xmp_chunk_offset = pos;
        layout.xmp_chunk_size = end - pos;
        layout.xmp_packet = **xmp;
      }
    } else if (TypeIs(png, pos + 4, "IEND")) {
      return layout;
    }
    pos = end;
  }
}

std::vector<uint8_t> PngWithXmp(std::span<const uint8_t> png,
                                const PngLayout& layout,
                                std::string_view xmp_packet) {
  static constexpr uint8_t kPrefix[] = {
      'X', 'M', 'L', ':', 'c', 'o', 'm', '.', 'a', 'd', 'o', 'b',
      'e', '.', 'x', 'm', 'p', 0,   0,   0,   0,   0};  // no compression, empty
                                                        // tags
  const size_t at = layout.xmp_chunk_offset.value_or(layout.manifest_offset);
  const size_t replaced = layout.xmp_chunk_offset ? layout.xmp_chunk_size : 0;
  std::vector<uint8_t> out;
  out.reserve(png.size() + xmp_packet.size() + sizeof kPrefix + kChunkOverhead);
  out.insert(out.end(), png.begin(), png.begin() + at);
  AppendChunk(
      "iTXt", kPrefix,
      {reinterpret_cast<const uint8_t*>(xmp_packet.data()), xmp_packet.size()},
      out);
  out.insert(out.end(), png.begin() + at + replaced, png.end());
  return out;
}

size_t PngManifestChunkSize(size_t jumbf_size) {
  return jumbf_size + kChunkOverhead;
}

std::vector<uint8_t> PngWithManifest(std::span<const uint8_t> png,
                                     size_t offset,
                                     std::span<const uint8_t> jumbf) {
  std::vector<uint8_t> out;
  out.reserve(png.size() + PngManifestChunkSize(jumbf.size()));
  out.insert(out.end(), png.begin(), png.begin() + offset);
  AppendChunk("caBX", {}, jumbf, out);
  out.insert(out.end(), png.begin() + offset, png.end());
  return out;
}

}  // namespace bulwark::provenance

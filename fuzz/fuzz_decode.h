// Shared body of the per-format decoder fuzz targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "bulwark/media/decoder.h"

namespace bulwark::fuzz {

// Limits tight enough that no input can make a decoder allocate more than a
// few tens of megabytes or spend seconds, so the fuzzer finds bugs, not OOMs.
inline media::DecodeOptions FuzzOptions() {
  media::DecodeOptions o;
  o.limits.max_bytes = 1 << 20;
  o.limits.max_pixels = 4'000'000;
  o.limits.max_side = 16384;
  o.limits.max_jpeg_scans = 100;
  return o;
}

// Decodes with `decoder` directly (not via sniffing) so each target
// exercises its own format even when the magic bytes are mutated. A
// successful result must be self-consistent.
inline int FuzzDecode(const media::Decoder& decoder, const uint8_t* data,
                      size_t size) {
  Result<media::Image> r =
      decoder.Decode(std::span<const uint8_t>(data, size), FuzzOptions());
  if (r.ok()) {
    const media::Image& img = *r;
    if (img.width < 1 || img.height < 1 ||
        img.pixels.size() != static_cast<size_t>(img.width) * img.height *
                                 media::ChannelCount(img.format)) {
      std::abort();
    }
  } else if (r.error().message.empty()) {
    std::abort();
  }
  return 0;
}

}  // namespace bulwark::fuzz

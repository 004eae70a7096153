// Shared checks that every decoder must pass on hostile input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/media/decoder.h"

namespace bulwark::testing {

// True when `r` is an error, or an image whose fields are self-consistent.
// Records a gtest failure (with `what`) for a malformed image.
void ExpectErrorOrValidImage(const Result<media::Image>& r,
                             const std::string& what);

// Cuts `good` at a spread of points (including one byte short) and expects
// an error, never an image.
void ExpectTruncationsFail(const media::Decoder& decoder,
                           const std::vector<uint8_t>& good);

// Flips `count` deterministically chosen bits, one at a time; each decode
// must give an error or a valid image.
void ExpectBitFlipsSafe(const media::Decoder& decoder,
                        const std::vector<uint8_t>& good, int count);

// Runs `f` and returns how much the process's peak resident memory grew,
// in KiB. A decoder that sized a buffer from a hostile header would touch
// gigabytes; a correct one stays within a few megabytes.
long PeakMemoryGrowthKiB(const std::function<void()>& f);

// The bound the huge-header tests hold decoders to.
inline constexpr long kHugeHeaderMemoryKiB = 64 * 1024;

// Small limits so that a damaged header never costs much memory or time.
media::DecodeOptions TightOptions();

}  // namespace bulwark::testing

#include "support/decode_checks.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <set>

namespace bulwark::testing {

long PeakMemoryGrowthKiB(const std::function<void()>& f) {
  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  f();
  getrusage(RUSAGE_SELF, &after);
  return after.ru_maxrss - before.ru_maxrss;
}

void ExpectErrorOrValidImage(const Result<media::Image>& r,
                             const std::string& what) {
  if (!r.ok()) {
    EXPECT_FALSE(r.error().message.empty()) << what;
    return;
  }
  const media::Image& img = *r;
  EXPECT_GE(img.width, 1) << what;
  EXPECT_GE(img.height, 1) << what;
  EXPECT_EQ(img.pixels.size(), static_cast<size_t>(img.width) * img.height *
                                   media::ChannelCount(img.format))
      << what;
}

media::DecodeOptions TightOptions() {
  media::DecodeOptions o;
  o.limits.max_pixels = 1 << 20;
  o.limits.max_side = 4096;
  o.limits.max_jpeg_scans = 50;
  return o;
}

void ExpectTruncationsFail(const media::Decoder& decoder,
                           const std::vector<uint8_t>& good) {
  ASSERT_TRUE(decoder.Decode(good, TightOptions()).ok());
  std::set<size_t> cuts = {
      0, 1, 2, 4, 8, 16, 33, good.size() - 1, good.size() - 2};
  for (int k = 1; k < 10; ++k) cuts.insert(good.size() * k / 10);
  for (size_t cut : cuts) {
    if (cut >= good.size()) continue;
    std::vector<uint8_t> part(good.begin(), good.begin() + cut);
    Result<media::Image> r = decoder.Decode(part, TightOptions());
    EXPECT_FALSE(r.ok()) << "cut at " << cut << " of " << good.size()
                         << " decoded to an image";
  }
}

void ExpectBitFlipsSafe(const media::Decoder& decoder,
                        const std::vector<uint8_t>& good, int count) {
  for (int i = 0; i < count; ++i) {
    std::vector<uint8_t> bad = good;
    // Dense over the header (where the parsing is), sparse elsewhere.
    const size_t pos = i < 64 ? static_cast<size_t>(i) % bad.size()
                              : (static_cast<size_t>(i) * 7919) % bad.size();
    bad[pos] ^= static_cast<uint8_t>(1u << (i % 8));
    ExpectErrorOrValidImage(decoder.Decode(bad, TightOptions()),
                            "flip at byte " + std::to_string(pos));
  }
}

}  // namespace bulwark::testing

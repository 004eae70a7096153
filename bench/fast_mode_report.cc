// How far `--pdq-mode fast` is from `full`: the Hamming distance between the
// two hashes for every JPEG in the bundled and shared test sets, with the
// median, 90th percentile and maximum (reported in docs/PERFORMANCE.md).
// Few of those are large enough to be decoded at reduced scale, so 16 crops
// of the shared 12-megapixel photo (1024 to 3000 pixels on the shorter side,
// re-encoded at quality 90) are measured too.
// Usage: build/bulwark_fast_mode_report
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bulwark/hash/file_hasher.h"
#include "support/image_encoders.h"
#include "support/test_paths.h"

int main() {
  using namespace bulwark;
  // The shared set holds the bundled images too: count each name once.
  std::map<std::string, std::string> files;  // name -> path
  for (const std::string& dir : {testing::TestDataDir() + "/pdq/images",
                                 testing::TestDataDir() + "/pdq/images"}) {
    if (!testing::Exists(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".jpg") {
        files.emplace(e.path().filename().string(), e.path().string());
      }
    }
  }
  std::vector<int> distances;
  auto measure = [&](const std::string& name, std::span<const uint8_t> bytes) {
    hash::HashRequest req;
    req.md5 = req.sha1 = req.sha256 = false;
    const hash::FileHashes full = hash::HashBytes(bytes, req);
    req.pdq_options.mode = hash::PdqMode::kFast;
    const hash::FileHashes fast = hash::HashBytes(bytes, req);
    auto decoded = media::DecodeImage(
        bytes, media::DecodeOptions{{}, hash::kFastModeMinSide});
    if (!full.pdq || !fast.pdq || !decoded.ok()) {
      std::printf("%-36s error\n", name.c_str());
      return;
    }
    const int d = full.pdq->hash.Distance(fast.pdq->hash);
    distances.push_back(d);
    std::printf("%-36s %4dx%-4d %4dx%-4d %d\n", name.c_str(), full.image->width,
                full.image->height, decoded->width, decoded->height, d);
  };
  std::printf("%-36s %9s %9s %s\n", "file", "size", "decoded", "distance");
  for (const auto& [name, path] : files)
    measure(name, testing::ReadBytes(path));

  auto photo = files.find("te-desk-12mp-exif6.jpg");
  if (photo != files.end()) {
    auto big = media::DecodeImage(testing::ReadBytes(photo->second), {});
    for (int i = 0; i < 16; ++i) {
      const int h = 1024 + i * 131, w = std::min(big->width, h * 4 / 3);
      const int x0 = (big->width - w) * (i % 4) / 3;
      const int y0 = (big->height - h) * (i / 4) / 3;
      media::Image crop = testing::Gradient(w, h, media::PixelFormat::kRgb8);
      for (int y = 0; y < h; ++y) {
        std::memcpy(crop.row(y), big->row(y0 + y) + 3 * x0, 3 * w);
      }
      measure("desk crop " + std::to_string(i), testing::EncodeJpeg(crop));
    }
  }
  if (distances.empty()) return 1;
  std::sort(distances.begin(), distances.end());
  auto at = [&](double q) {
    return distances[static_cast<size_t>(q * (distances.size() - 1) + 0.5)];
  };
  std::printf("jpegs %zu  median %d  p90 %d  max %d\n", distances.size(),
              at(0.5), at(0.9), distances.back());
  return 0;
}

// PDQ speed: the hashing core against the plain implementation (the
// reference's algorithm, one full-size buffer per pass), decoding, and whole
// files end to end in each mode. Inputs are a real 12-megapixel photo from
// ../shared/testdata/pdq (te-desk-12mp-exif6.jpg, 4032x3024) and a 1-megapixel
// JPEG made from it; without the shared set, synthetic images of the same
// sizes. The Scan* benchmarks (0.6 and 4 megapixels) put a plain decode
// next to HashBytes with everything the dataset scanner computes, so the
// scanner's target ratio reads off one run:
//   taskset -c 1 build/bulwark_bench --benchmark_filter=Scan
//     --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Run: build/bulwark_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true   (see docs/PERFORMANCE.md)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

#include "bulwark/core/allocator_tuning.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/hash/pdq.h"
#include "bulwark/media/decoder.h"
#include "bulwark/media/resize.h"
#include "support/image_encoders.h"
#include "support/pdq_naive.h"
#include "support/synthetic_image.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

enum Size { k1MP = 1, k12MP = 12 };

struct Input {
  std::vector<uint8_t> jpeg;
  media::Image image;
};

const Input& GetInput(int size) {
  static std::map<int, Input> cache;
  auto it = cache.find(size);
  if (it != cache.end()) return it->second;
  Input in;
  const std::string photo =
      testing::TestDataDir() + "/pdq/images/te-desk-12mp-exif6.jpg";
  media::Image big;
  std::vector<uint8_t> big_jpeg;
  if (testing::Exists(photo)) {
    big_jpeg = testing::ReadBytes(photo);
    big = *media::DecodeImage(big_jpeg, {});
  } else {
    big = testing::SyntheticImage(4032, 3024, media::PixelFormat::kRgb8, 1);
    big_jpeg = testing::EncodeJpeg(big);
  }
  if (size == k12MP) {
    in.jpeg = big_jpeg;
    in.image = big;
  } else {
    in.image = media::ResizeNearest(big, 1155, 866);  // 1.0 megapixel
    in.jpeg = testing::EncodeJpeg(in.image);
  }
  return cache[size] = std::move(in);
}

// The scanner's acceptance target: at 0.6 and 4 megapixels, HashBytes (full
// PDQ plus all three digests) at >= 80% of the rate of a plain decode. The
// inputs are the photo downscaled by area averaging, as web images are (a
// nearest-neighbour shrink would alias into noise and inflate the file),
// then encoded at quality 90.
enum ScanSize { k06MP = 6, k4MP = 40 };

media::Image AreaDownscale(const media::Image& src, int w, int h) {
  media::Image out = src;
  out.width = w;
  out.height = h;
  out.pixels.assign(static_cast<size_t>(w) * h * 3, 0);
  for (int y = 0; y < h; ++y) {
    const int y0 = static_cast<int>(int64_t{y} * src.height / h);
    const int y1 =
        std::max(y0 + 1, static_cast<int>(int64_t{y + 1} * src.height / h));
    for (int x = 0; x < w; ++x) {
      const int x0 = static_cast<int>(int64_t{x} * src.width / w);
      const int x1 =
          std::max(x0 + 1, static_cast<int>(int64_t{x + 1} * src.width / w));
      for (int c = 0; c < 3; ++c) {
        uint32_t sum = 0;
        for (int yy = y0; yy < y1; ++yy)
          for (int xx = x0; xx < x1; ++xx) sum += src.row(yy)[xx * 3 + c];
        const uint32_t n = static_cast<uint32_t>((y1 - y0) * (x1 - x0));
        out.row(y)[x * 3 + c] = static_cast<uint8_t>((sum + n / 2) / n);
      }
    }
  }
  return out;
}

const Input& GetScanInput(int size) {
  static std::map<int, Input> cache;
  auto it = cache.find(size);
  if (it != cache.end()) return it->second;
  const Input& big = GetInput(k12MP);
  Input in;
  in.image = size == k06MP ? AreaDownscale(big.image, 896, 672)
                           : AreaDownscale(big.image, 2309, 1732);
  in.jpeg = testing::EncodeJpeg(in.image);
  return cache[size] = std::move(in);
}

void SetScanLabel(benchmark::State& state, const Input& in) {
  state.SetLabel(std::to_string(in.image.width) + "x" +
                 std::to_string(in.image.height) + " " +
                 std::to_string(in.jpeg.size() / 1024) + "KiB");
  state.counters["images/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Plain full-size decode to RGB: the denominator of the target.
void BM_ScanDecode(benchmark::State& state) {
  const Input& in = GetScanInput(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto image = media::DecodeImage(in.jpeg, {});
    if (!image.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(image);
  }
  SetScanLabel(state, in);
}

// Everything the scanner does per image: full PDQ and the three digests.
void BM_ScanHashBytes(benchmark::State& state) {
  const Input& in = GetScanInput(static_cast<int>(state.range(0)));
  const hash::HashRequest req;  // full mode, md5 + sha1 + sha256
  for (auto _ : state) {
    auto r = hash::HashBytes(in.jpeg, req);
    if (!r.pdq || !r.md5 || !r.sha1 || !r.sha256) {
      state.SkipWithError("hash failed");
    }
    benchmark::DoNotOptimize(r);
  }
  SetScanLabel(state, in);
}

// The digests alone, on the same files.
void BM_ScanDigests(benchmark::State& state) {
  const Input& in = GetScanInput(static_cast<int>(state.range(0)));
  hash::HashRequest req;
  req.pdq = false;
  for (auto _ : state) benchmark::DoNotOptimize(hash::HashBytes(in.jpeg, req));
  SetScanLabel(state, in);
}

void SetLabel(benchmark::State& state, int size) {
  const Input& in = GetInput(size);
  state.SetLabel(std::to_string(in.image.width) + "x" +
                 std::to_string(in.image.height));
  state.counters["images/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_CorePlain(benchmark::State& state) {
  const Input& in = GetInput(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(testing::NaivePdq(in.image));
  }
  SetLabel(state, static_cast<int>(state.range(0)));
}

void BM_CoreBulwark(benchmark::State& state) {
  const Input& in = GetInput(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(hash::ComputePdq(in.image, {}));
  }
  SetLabel(state, static_cast<int>(state.range(0)));
}

void BM_Decode(benchmark::State& state) {
  const Input& in = GetInput(static_cast<int>(state.range(0)));
  media::DecodeOptions opts;
  opts.min_side_hint = static_cast<int>(state.range(1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(media::DecodeImage(in.jpeg, opts));
  }
  SetLabel(state, static_cast<int>(state.range(0)));
}

void BM_EndToEnd(benchmark::State& state) {
  const Input& in = GetInput(static_cast<int>(state.range(0)));
  hash::HashRequest req;
  req.md5 = req.sha1 = req.sha256 = false;
  req.pdq_options.mode = static_cast<hash::PdqMode>(state.range(1));
  for (auto _ : state) {
    auto r = hash::HashBytes(in.jpeg, req);
    if (!r.pdq) state.SkipWithError("hash failed");
    benchmark::DoNotOptimize(r);
  }
  SetLabel(state, static_cast<int>(state.range(0)));
}

void BM_Digests(benchmark::State& state) {
  const Input& in = GetInput(k12MP);
  hash::HashRequest req;
  req.pdq = false;
  for (auto _ : state) benchmark::DoNotOptimize(hash::HashBytes(in.jpeg, req));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(in.jpeg.size()));
}

constexpr int kFull = static_cast<int>(hash::PdqMode::kFull);
constexpr int kCli = static_cast<int>(hash::PdqMode::kCli512);
constexpr int kFast = static_cast<int>(hash::PdqMode::kFast);

BENCHMARK(BM_CorePlain)
    ->ArgName("MP")
    ->Arg(k1MP)
    ->Arg(k12MP)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CoreBulwark)
    ->ArgName("MP")
    ->Arg(k1MP)
    ->Arg(k12MP)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Decode)
    ->ArgNames({"MP", "min_side"})
    ->Args({k1MP, 0})
    ->Args({k12MP, 0})
    ->Args({k1MP, hash::kFastModeMinSide})
    ->Args({k12MP, hash::kFastModeMinSide})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EndToEnd)
    ->ArgNames({"MP", "mode"})
    ->Args({k1MP, kCli})
    ->Args({k12MP, kCli})
    ->Args({k1MP, kFull})
    ->Args({k12MP, kFull})
    ->Args({k1MP, kFast})
    ->Args({k12MP, kFast})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Digests)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScanDecode)
    ->ArgName("dMP")
    ->Arg(k06MP)
    ->Arg(k4MP)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ScanHashBytes)
    ->ArgName("dMP")
    ->Arg(k06MP)
    ->Arg(k4MP)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ScanDigests)
    ->ArgName("dMP")
    ->Arg(k06MP)
    ->Arg(k4MP)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bulwark

// As the bulwark command does (see core/allocator_tuning.h).
int main(int argc, char** argv) {
  bulwark::TuneAllocatorForLargeImages();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

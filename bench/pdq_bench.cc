// PDQ speed: the hashing core against the plain implementation (the
// reference's algorithm, one full-size buffer per pass), decoding, and whole
// files end to end in each mode. Inputs are a real 12-megapixel photo from
// ../shared/testdata/pdq (te-desk-12mp-exif6.jpg, 4032x3024) and a 1-megapixel
// JPEG made from it; without the shared set, synthetic images of the same
// sizes. Run: build/bulwark_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true   (see docs/PERFORMANCE.md)
#include <benchmark/benchmark.h>

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
      testing::SharedPdqDir() + "/images/te-desk-12mp-exif6.jpg";
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

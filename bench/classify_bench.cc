// Image classification speed: the default nsfwjs model (data/models, built by
// scripts/install-models.sh) on a synthesised 1-megapixel photo, one thread,
// preprocessing included. Target: <= 25 ms per image per core.
//   flock /tmp/bench.lock taskset -c 1 build/bulwark_bench
//     --benchmark_filter=Classify --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "bulwark/classify/classifier.h"
#include "bulwark/classify/preprocess.h"
#include "support/synthetic_image.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {

const std::filesystem::path kManifest =
    std::filesystem::path(testing::TestDataDir()).parent_path().parent_path() /
    "data/models/nsfwjs.toml";

const media::Image& OneMegapixel() {
  static const media::Image image =
      testing::SyntheticImage(1152, 864, media::PixelFormat::kRgb8, /*seed=*/1);
  return image;
}

void BM_Classify1MP(benchmark::State& state) {
  auto classifier = classify::LoadClassifier(kManifest, {.max_concurrency = 1});
  if (!classifier.ok()) {
    state.SkipWithError(classifier.error().ToString().c_str());
    return;
  }
  const media::Image& image = OneMegapixel();
  for (auto _ : state) {
    auto c = (*classifier)->Classify(image);
    if (!c.ok()) {
      state.SkipWithError(c.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(c->scores.data());
  }
}
BENCHMARK(BM_Classify1MP)->Unit(benchmark::kMillisecond);

// The preprocessing alone (resize and normalisation into the tensor).
void BM_ClassifyPreprocess1MP(benchmark::State& state) {
  auto manifest = classify::LoadModelManifest(kManifest);
  if (!manifest.ok()) {
    state.SkipWithError(manifest.error().ToString().c_str());
    return;
  }
  const classify::Preprocessor preprocess(manifest->input);
  std::vector<float> tensor(preprocess.tensor_size());
  const media::Image& image = OneMegapixel();
  for (auto _ : state) {
    preprocess.Run(image, tensor);
    benchmark::DoNotOptimize(tensor.data());
  }
}
BENCHMARK(BM_ClassifyPreprocess1MP)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark

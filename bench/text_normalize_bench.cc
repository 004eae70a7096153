// Normalizer::Run on a ~500-character plain English prompt, the common case
// every text check pays for: all steps, plus the rot13 and reversed views.
// Target: at least 20,000 runs a second on one core (under 50 us a run).
//   taskset -c 1 build/bulwark_bench --benchmark_filter=Normalize
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <utility>

#include "bulwark/text/normalizer.h"

namespace bulwark::text {
namespace {

const char kPrompt[] =
    "Please write a short story about a lighthouse keeper who lives on a "
    "small island with her old dog. Every evening she climbs the spiral "
    "stairs to light the lamp, and every morning she writes a letter to her "
    "brother in the city, though the boat only comes once a month. One "
    "winter a storm knocks out the radio, and a fishing boat loses its way "
    "in the fog. Describe how she keeps the light burning through the "
    "night, what she remembers about her childhood by the sea, and how the "
    "sailors thank her when they finally reach the harbour. Keep it warm, "
    "hopeful and under 800 words.";

void BM_NormalizeEnglishPrompt(benchmark::State& state) {
  auto normalizer = Normalizer::Create();
  if (!normalizer.ok()) {
    state.SkipWithError(normalizer.error().ToString().c_str());
    return;
  }
  const std::string prompt = kPrompt;
  const bool explain = state.range(0) != 0;
  for (auto _ : state) {
    auto result = normalizer->Run(prompt, explain);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(prompt.size()));
  state.counters["chars"] = static_cast<double>(prompt.size());
}
BENCHMARK(BM_NormalizeEnglishPrompt)->Arg(0)->Arg(1);

// The same prompt with look-alikes, accents and a zero-width space in most
// sentences: ICU is reached for a few characters in every sentence.
void BM_NormalizeObfuscatedPrompt(benchmark::State& state) {
  auto normalizer = Normalizer::Create();
  if (!normalizer.ok()) {
    state.SkipWithError(normalizer.error().ToString().c_str());
    return;
  }
  std::string prompt = kPrompt;
  for (const char* from : {"small", "stairs", "letter", "storm", "night"}) {
    const size_t at = prompt.find(from);
    if (at != std::string::npos) prompt.insert(at + 2, "\u200B");
  }
  for (const auto& [from, to] : {std::pair{"keeper", "k\u0435\u0435per"},
                                 {"island", "isl\u0430nd"},
                                 {"hopeful", "h\u00F6peful"},
                                 {"harbour", "\uFF48arbour"}}) {
    const size_t at = prompt.find(from);
    if (at != std::string::npos) prompt.replace(at, strlen(from), to);
  }
  for (auto _ : state) {
    auto result = normalizer->Run(prompt, false);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(prompt.size()));
}
BENCHMARK(BM_NormalizeObfuscatedPrompt);

}  // namespace
}  // namespace bulwark::text

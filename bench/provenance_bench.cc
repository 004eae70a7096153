// C2PA signing cost: signing a synthesised 1-megapixel JPEG (1000x1000
// noise, quality 90) against SHA-256 of the same bytes, which signing must
// do anyway for the hard binding. Target: signing <= 3 ms more than the
// hash (issue 9).
//
//   flock /tmp/bench.lock taskset -c 1 ./bulwark_bench
//       --benchmark_filter=Provenance
#include <benchmark/benchmark.h>

#include <memory>

#include "bulwark/hash/digest.h"
#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "support/image_encoders.h"

namespace bulwark::provenance {
namespace {

const std::vector<uint8_t>& OneMegapixelJpeg() {
  static const std::vector<uint8_t> jpeg = testing::EncodeJpeg(
      testing::Noise(1000, 1000, media::PixelFormat::kRgb8, 7), {});
  return jpeg;
}

void BM_ProvenanceSha256Baseline(benchmark::State& state) {
  const auto& jpeg = OneMegapixelJpeg();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        hash::DigestHex(hash::DigestAlgorithm::kSha256, jpeg));
  }
  state.counters["bytes"] = static_cast<double>(jpeg.size());
}
BENCHMARK(BM_ProvenanceSha256Baseline)->Unit(benchmark::kMillisecond);

void BM_ProvenanceSignJpeg(benchmark::State& state) {
  const auto alg = static_cast<SigningAlgorithm>(state.range(0));
  auto ca = MakeTestCa(alg);
  if (!ca.ok()) {
    state.SkipWithError(ca.error().message.c_str());
    return;
  }
  auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem, alg);
  if (!signer.ok()) {
    state.SkipWithError(signer.error().message.c_str());
    return;
  }
  const auto& jpeg = OneMegapixelJpeg();
  for (auto _ : state) {
    auto out = SignImage(jpeg, **signer, SignOptions{});
    if (!out.ok()) state.SkipWithError(out.error().message.c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(SigningAlgorithmName(alg));
}
BENCHMARK(BM_ProvenanceSignJpeg)
    ->Arg(static_cast<int>(SigningAlgorithm::kEs256))
    ->Arg(static_cast<int>(SigningAlgorithm::kPs256))
    ->Arg(static_cast<int>(SigningAlgorithm::kEd25519))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::provenance

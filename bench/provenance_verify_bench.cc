// C2PA verification cost: verifying a 1-megapixel JPEG (1000x1000 noise,
// quality 90) signed in setup by Bulwark's own signer, against SHA-256 of
// the same bytes, which verification must do anyway for the hard binding.
// Target: verification <= 3 ms more than the hash (issue 9). Compare with
// BM_ProvenanceSha256Baseline in provenance_bench.cc.
//
//   flock /tmp/bench.lock taskset -c 1 ./bulwark_bench
//       --benchmark_filter=ProvenanceVerify
#include <benchmark/benchmark.h>

#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "bulwark/provenance/verify_image.h"
#include "support/image_encoders.h"

namespace bulwark::provenance {
namespace {

void BM_ProvenanceVerifyJpeg(benchmark::State& state) {
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
  const std::vector<uint8_t> jpeg = testing::EncodeJpeg(
      testing::Noise(1000, 1000, media::PixelFormat::kRgb8, 7), {});
  auto signed_jpeg = SignImage(jpeg, **signer, SignOptions{});
  if (!signed_jpeg.ok()) {
    state.SkipWithError(signed_jpeg.error().message.c_str());
    return;
  }
  VerifyOptions options;
  options.trust_anchor_pems.push_back(ca->root_pem);
  for (auto _ : state) {
    auto report = VerifyImage(*signed_jpeg, options);
    if (!report.ok() || report->state != VerifyState::kTrusted) {
      state.SkipWithError(report.ok() ? report->reason.c_str()
                                      : report.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(report);
  }
  state.SetLabel(SigningAlgorithmName(alg));
  state.counters["bytes"] = static_cast<double>(signed_jpeg->size());
}
BENCHMARK(BM_ProvenanceVerifyJpeg)
    ->Arg(static_cast<int>(SigningAlgorithm::kEs256))
    ->Arg(static_cast<int>(SigningAlgorithm::kPs256))
    ->Arg(static_cast<int>(SigningAlgorithm::kEd25519))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::provenance

// C2PA cost: signing and verifying a synthesised 1-megapixel JPEG
// (1000x1000 noise, quality 90) against SHA-256 of the same bytes, which
// both must do anyway for the hard binding. Target: each <= 3 ms more than
// the hash (issue 9).
//
//   flock /tmp/bench.lock taskset -c 1 ./bulwark_bench
//       --benchmark_filter=Provenance
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>

#include "bulwark/hash/digest.h"
#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "bulwark/provenance/verify_image.h"
#include "support/image_encoders.h"

namespace bulwark::provenance {
namespace {

const std::vector<uint8_t>& OneMegapixelJpeg() {
  static const std::vector<uint8_t> jpeg = testing::EncodeJpeg(
      testing::Noise(1000, 1000, media::PixelFormat::kRgb8, 7), {});
  return jpeg;
}

// A test CA and its signer for the benchmark's algorithm (state.range(0)),
// or nothing after marking the benchmark failed.
struct Signing {
  TestCa ca;
  std::unique_ptr<PemSigner> signer;
};
std::optional<Signing> MakeSigning(benchmark::State& state) {
  const auto alg = static_cast<SigningAlgorithm>(state.range(0));
  state.SetLabel(SigningAlgorithmName(alg));
  auto ca = MakeTestCa(alg);
  if (!ca.ok()) {
    state.SkipWithError(ca.error().message.c_str());
    return std::nullopt;
  }
  auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem, alg);
  if (!signer.ok()) {
    state.SkipWithError(signer.error().message.c_str());
    return std::nullopt;
  }
  return Signing{std::move(*ca), std::move(*signer)};
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
  auto signing = MakeSigning(state);
  if (!signing) return;
  const auto& jpeg = OneMegapixelJpeg();
  for (auto _ : state) {
    auto out = SignImage(jpeg, *signing->signer, SignOptions{});
    if (!out.ok()) state.SkipWithError(out.error().message.c_str());
    benchmark::DoNotOptimize(out);
  }
}

// Verified against the test root, so the whole chain is checked too.
void BM_ProvenanceVerifyJpeg(benchmark::State& state) {
  auto signing = MakeSigning(state);
  if (!signing) return;
  auto signed_jpeg =
      SignImage(OneMegapixelJpeg(), *signing->signer, SignOptions{});
  if (!signed_jpeg.ok()) {
    state.SkipWithError(signed_jpeg.error().message.c_str());
    return;
  }
  VerifyOptions options;
  options.trust_anchor_pems.push_back(signing->ca.root_pem);
  for (auto _ : state) {
    auto report = VerifyImage(*signed_jpeg, options);
    if (!report.ok() || report->state != VerifyState::kTrusted) {
      state.SkipWithError(report.ok() ? report->reason.c_str()
                                      : report.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(report);
  }
  state.counters["bytes"] = static_cast<double>(signed_jpeg->size());
}

void AllAlgorithms(benchmark::internal::Benchmark* b) {
  for (SigningAlgorithm alg :
       {SigningAlgorithm::kEs256, SigningAlgorithm::kPs256,
        SigningAlgorithm::kEd25519}) {
    b->Arg(static_cast<int>(alg));
  }
  b->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_ProvenanceSignJpeg)->Apply(AllAlgorithms);
BENCHMARK(BM_ProvenanceVerifyJpeg)->Apply(AllAlgorithms);

}  // namespace
}  // namespace bulwark::provenance

// C2PA manifest stores on arbitrary bytes: images arrive from anyone, and
// the verifier reads their embedded JUMBF, CBOR and COSE before anything is
// known to be authentic. Each input is tried three ways: as a whole image
// (JPEG/PNG container parsing and the full verification), as a bare
// manifest store (the JUMBF reader, the model, every claim and signature
// through the CBOR and COSE readers), and as the caBX chunk of a PNG (the
// full verification of that store). No input may crash, hang or grow memory
// without bound, and every invalid verdict must say why.
#include <cstdlib>
#include <vector>

#include "bulwark/provenance/cbor_reader.h"
#include "bulwark/provenance/cose_verify.h"
#include "bulwark/provenance/manifest_store.h"
#include "bulwark/provenance/verify_image.h"

namespace {

using namespace bulwark::provenance;

void CheckVerdict(std::span<const uint8_t> image) {
  VerifyOptions options;
  options.max_store_bytes = 1 << 20;
  auto report = VerifyImage(image, options);
  if (!report.ok()) std::abort();  // no anchors: nothing the call can reject
  const bool invalid = report->state == VerifyState::kInvalid;
  if (invalid && (report->reason.empty() || report->failed_check.empty())) {
    std::abort();
  }
  if (report->state == VerifyState::kNone && !report->failed_check.empty()) {
    std::abort();
  }
}

std::vector<uint8_t> InPng(const uint8_t* data, size_t size) {
  std::vector<uint8_t> png = {0x89,
                              'P',
                              'N',
                              'G',
                              '\r',
                              '\n',
                              0x1a,
                              '\n',
                              0,
                              0,
                              0,
                              13,
                              'I',
                              'H',
                              'D',
                              'R',
                              0,
                              0,
                              0,
                              1,
                              0,
                              0,
                              0,
                              1,
                              8,
                              0,
                              0,
                              0,
                              0,
                              0,
                              0,
                              0,
                              0,
                              static_cast<uint8_t>(size >> 24),
                              static_cast<uint8_t>(size >> 16),
                              static_cast<uint8_t>(size >> 8),
                              static_cast<uint8_t>(size),
                              'c',
                              'a',
                              'B',
                              'X'};
  png.insert(png.end(), data, data + size);
  const uint8_t tail[] = {0,   0,   0,   0,   0, 0, 0, 0,
                          'I', 'E', 'N', 'D', 0, 0, 0, 0};
  png.insert(png.end(), tail, tail + sizeof tail);
  return png;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  CheckVerdict(input);

  auto store = ReadManifestStore(input);
  if (!store.ok() && store.error().message.empty()) std::abort();
  if (store.ok()) {
    for (const StoredManifest& m : store->manifests) {
      auto claim = ReadCbor(m.claim);
      if (!claim.ok() && claim.error().message.empty()) std::abort();
      auto sign1 = ReadCoseSign1(m.signature);
      if (!sign1.ok() && sign1.error().message.empty()) std::abort();
    }
  }

  CheckVerdict(InPng(data, size));
  return 0;
}

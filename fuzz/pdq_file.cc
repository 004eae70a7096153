// The whole file -> PDQ path, as `bulwark hash` runs it: digests, sniffing,
// decoding, grey detection, cli512 squashing, orientation, the streaming
// filter and the DCT. The first byte picks the mode and options so one
// corpus covers them all. A hash must never come with an error, and a
// decoded image too small for PDQ must be an error, never a hash.
#include <cstdlib>

#include "bulwark/hash/file_hasher.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  if (size < 1) return 0;
  hash::HashRequest req;
  req.decode = fuzz::FuzzOptions();
  req.md5 = req.sha1 = false;
  req.pdq_options.mode = static_cast<hash::PdqMode>(data[0] % 3);
  req.pdq_options.dihedral = (data[0] & 4) != 0;
  req.orientation = (data[0] & 8) ? hash::OrientationPolicy::kApply
                                  : hash::OrientationPolicy::kAsStored;
  hash::FileHashes h = hash::HashBytes({data + 1, size - 1}, req);
  if (!h.sha256) std::abort();
  if (h.pdq.has_value() == h.error.has_value()) std::abort();
  if (h.pdq) {
    if (h.pdq->quality < 0 || h.pdq->quality > 100) std::abort();
    if (h.image->width < hash::kPdqMinSide ||
        h.image->height < hash::kPdqMinSide)
      std::abort();
    if (req.pdq_options.dihedral != h.pdq->dihedral.has_value()) std::abort();
  }
  return 0;
}

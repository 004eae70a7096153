// libFuzzer entry point for the Tiff decoder.
#include "bulwark/media/tiff_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::TiffDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

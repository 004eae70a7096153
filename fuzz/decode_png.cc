// libFuzzer entry point for the Png decoder.
#include "bulwark/media/png_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::PngDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

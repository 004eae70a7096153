// libFuzzer entry point for the Bmp decoder.
#include "bulwark/media/bmp_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::BmpDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

// libFuzzer entry point for the Jpeg decoder.
#include "bulwark/media/jpeg_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::JpegDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

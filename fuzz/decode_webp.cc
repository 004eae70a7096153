// libFuzzer entry point for the Webp decoder.
#include "bulwark/media/webp_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::WebpDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

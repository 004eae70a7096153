// libFuzzer entry point for the Gif decoder.
#include "bulwark/media/gif_decoder.h"
#include "fuzz_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::media::GifDecoder decoder;
  return bulwark::fuzz::FuzzDecode(decoder, data, size);
}

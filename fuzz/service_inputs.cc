// What clients send the service, on arbitrary bytes: multipart bodies,
// base64, data: URIs and image URLs. Each parser must return a value or an
// error with a message, never crash, hang or exceed its size limit. The
// first byte picks the parser.
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/core/base64.h"
#include "bulwark/service/image_fetcher.h"
#include "bulwark/service/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  constexpr size_t kLimit = 4096;
  switch (data[0] % 4) {
    case 0: {
      auto parts = service::ParseMultipart(
          "multipart/form-data; boundary=XyZ", text);
      if (!parts.ok() && parts.error().message.empty()) std::abort();
      break;
    }
    case 1: {
      auto bytes = Base64Decode(text, kLimit);
      if (bytes.ok() && bytes->size() > kLimit) std::abort();
      if (!bytes.ok() && bytes.error().message.empty()) std::abort();
      break;
    }
    case 2: {
      auto uri = ParseDataUri(text, kLimit);
      if (uri.ok() && uri->bytes.size() > kLimit) std::abort();
      if (!uri.ok() && uri.error().message.empty()) std::abort();
      break;
    }
    default: {
      auto url = service::ParseImageUrl(std::string(text));
      if (!url.ok() && url.error().message.empty()) std::abort();
      break;
    }
  }
  return 0;
}

// multipart/form-data bodies (RFC 7578), for clients that upload an image
// as a file part instead of base64 inside JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::service {

struct FormPart {
  std::string name;      // the form field's name
  std::string filename;  // empty for plain fields
  std::string content_type;
  std::string data;  // the bytes, as sent
};

// Splits `body` by the boundary given in `content_type`
// ("multipart/form-data; boundary=..."). kInvalidArgument for a missing
// boundary, a part without a name, or a body that does not end with the
// closing delimiter.
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                             std::string_view body);

}  // namespace bulwark::service

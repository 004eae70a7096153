#include "bulwark/service/multipart.h"

#include "bulwark/core/ascii.h"

namespace bulwark::service {
namespace {

Error Invalid(const char* what) {
  std::string msg = "multipart body: ";
  msg += what;
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

// The value of `key=` in a header's parameters, quotes removed.
std::string Param(std::string_view header, std::string_view key) {
  const std::string lower = AsciiLower(header);
  std::string needle(key);
  needle += '=';
  size_t at = 0;
  while ((at = lower.find(needle, at)) != std::string::npos) {
    // Only at a parameter's start: "filename=" must not match "name=".
    if (at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ') break;
    ++at;
  }
  if (at == std::string::npos) return "";
  size_t start = at + needle.size();
  if (start < header.size() && header[start] == '"') {
    const size_t end = header.find('"', start + 1);
    if (end == std::string::npos) return "";
    return std::string(header.substr(start + 1, end - start - 1));
  }
  size_t end = header.find(';', start);
  if (end == std::string::npos) end = header.size();
  return std::string(TrimSpaceTab(header.substr(start, end - start)));
}

}  // namespace

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                             std::string_view body) {
  const std::string boundary = Param(content_type, "boundary");
  if (boundary.empty()) return Invalid("no boundary in Content-Type");
  const std::string delim = "--" + boundary;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return Invalid("no part found");
  std::vector<FormPart> parts;
  for (;;) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Invalid("malformed delimiter");
    pos += 2;
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) {
      return Invalid("part headers do not end");
    }
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view()
                                              : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string name = AsciiLower(line.substr(0, colon));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (name == "content-disposition") {
        part.name = Param(value, "name");
        part.filename = Param(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (part.name.empty()) return Invalid("a part has no name");
    const size_t data_start = headers_end + 4;
    const std::string next = "\r\n" + delim;
    const size_t data_end = body.find(next, data_start);
    if (data_end == std::string_view::npos) {
      return Invalid("the body ends before the closing boundary");
    }
    part.data = std::string(body.substr(data_start, data_end - data_start));
    parts.push_back(std::move(part));
    pos = data_end + 2;
  }
}

}  // namespace bulwark::service

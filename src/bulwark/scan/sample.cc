#include "bulwark/scan/sample.h"

#include <array>
#include <string_view>

namespace bulwark::scan {

bool IsImageName(const std::string& name) {
  static constexpr std::array<std::string_view, 8> kExtensions = {
      "jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff"};
  const size_t dot = name.rfind('.');
  const size_t slash = name.rfind('/');
  // A dot in a directory name ("a.jpg/file") is not an extension.
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return false;
  std::string ext = name.substr(dot + 1);
  if (ext.size() > 4) return false;
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (std::string_view candidate : kExtensions) {
    if (ext == candidate) return true;
  }
  return false;
}

}  // namespace bulwark::scan

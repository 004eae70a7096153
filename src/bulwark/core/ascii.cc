#include "bulwark/core/ascii.h"

namespace bulwark {
namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool IsSpaceTab(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string_view TrimSpaceTab(std::string_view s) {
  while (!s.empty() && IsSpaceTab(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpaceTab(s.back())) s.remove_suffix(1);
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace bulwark

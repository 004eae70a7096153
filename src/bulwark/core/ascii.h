// ASCII-only text helpers for protocol tokens (HTTP header names, auth
// schemes, media types, base64 parameters), where locale rules must not
// apply.
#pragma once

#include <string>
#include <string_view>

namespace bulwark {

// Without leading and trailing spaces and tabs.
std::string_view TrimSpaceTab(std::string_view s);

// A-Z lowered; every other byte unchanged.
std::string AsciiLower(std::string_view s);

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

}  // namespace bulwark

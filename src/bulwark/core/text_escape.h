// Quoting for the machine-readable output formats.
#pragma once

#include <string>
#include <string_view>

namespace bulwark {

// A JSON string literal, quotes included. Control characters are \u-escaped
// and bytes that are not valid UTF-8 become U+FFFD, so output is always
// valid JSON even for odd file names.
std::string JsonQuote(std::string_view text);

// A CSV field per RFC 4180: quoted (with doubled quotes) only when it holds
// a comma, quote, CR or LF.
std::string CsvField(std::string_view text);

// Text for an XML 1.0 document: markup characters escaped, characters XML
// cannot carry at all (most C0 controls) replaced with U+FFFD.
std::string XmlEscape(std::string_view text);

}  // namespace bulwark

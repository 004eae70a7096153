// Variant texts shown to people (Markdown, JUnit): the invisible characters
// a variant is made of must be seen to be understood, and some (controls)
// are not even allowed in XML.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::redteam {

// `utf8` with every control, format, zero-width, bidi, variation-selector
// and tag character written as \u{XXXX}, and ill-formed bytes as U+FFFD.
// Letters, marks and symbols stay as they are.
std::string VisibleText(std::string_view utf8);

// `utf8` valid: ill-formed bytes become U+FFFD.
std::string ValidUtf8(std::string_view utf8);

// "12.50%".
std::string Percent(double fraction);

}  // namespace bulwark::redteam

// JUnit XML: one test case per chain group and one for the benign
// false-positive rate, so a CI dashboard shows which converter regressed.
#include <map>

#include "bulwark/core/text_escape.h"
#include "bulwark/redteam/display_text.h"
#include "bulwark/redteam/report.h"

namespace bulwark::redteam {
namespace {

constexpr size_t kExamples = 5;  // misses quoted in a failure

std::string Xml(std::string_view text) { return XmlEscape(VisibleText(text)); }

std::string Message(const FloorCheck& c) {
  const Group& g = c.group;
  if (c.ceiling) {
    return "false-positive rate " + Percent(c.value) +
           (c.ok ? " within " : " above ") + "the ceiling " + Percent(c.limit) +
           " (" + std::to_string(g.flagged) + " flagged, " +
           std::to_string(g.errors) + " errors of " +
           std::to_string(g.variants) + " benign prompts)";
  }
  return "block rate " + Percent(c.value) +
         (c.ok ? " at or above " : " below ") + "the floor " +
         Percent(c.limit) + " (" + std::to_string(g.blocked) + " of " +
         std::to_string(g.variants) + " blocked, " + std::to_string(g.errors) +
         " errors)";
}

// Already escaped, one miss per line.
std::string Examples(const RunReport& r, const FloorCheck& c) {
  std::string out;
  size_t n = 0;
  const bool benign = c.group.suite == "benign";
  for (const Miss& m : benign ? r.false_positives : r.misses) {
    if (!benign && !InGroup(c.group, m)) continue;
    if (n++ == kExamples) break;
    out += benign ? "benign " + std::to_string(m.prompt)
                  : "seed " + std::to_string(m.prompt) + " " + Xml(m.chain);
    if (!m.error.empty()) out += " (error: " + Xml(m.error) + ")";
    out += ": " + Xml(m.text) + "\n";
  }
  return out;
}

}  // namespace

std::string ReportJunit(const RunReport& r,
                        const std::vector<FloorCheck>& checks) {
  std::map<std::string, std::vector<const FloorCheck*>> suites;
  std::vector<std::string> order;
  size_t failures = 0;
  for (const FloorCheck& c : checks) {
    if (suites.find(c.group.suite) == suites.end()) {
      order.push_back(c.group.suite);
    }
    suites[c.group.suite].push_back(&c);
    failures += !c.ok;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"bulwark redteam text\" tests=\"" +
         std::to_string(checks.size()) + "\" failures=\"" +
         std::to_string(failures) + "\">\n";
  for (const std::string& name : order) {
    const auto& cases = suites[name];
    size_t failed = 0;
    for (const FloorCheck* c : cases) failed += !c->ok;
    out += "  <testsuite name=\"redteam." + Xml(name) + "\" tests=\"" +
           std::to_string(cases.size()) + "\" failures=\"" +
           std::to_string(failed) + "\">\n";
    for (const FloorCheck* c : cases) {
      out += "    <testcase classname=\"redteam." + Xml(name) + "\" name=\"" +
             Xml(c->group.name) + "\" time=\"0\"";
      if (c->ok) {
        out += ">\n      <system-out>" + Xml(Message(*c)) +
               "</system-out>\n    </testcase>\n";
        continue;
      }
      out += ">\n      <failure type=\"floor\" message=\"" + Xml(Message(*c)) +
             "\">" + Examples(r, *c) + "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace bulwark::redteam

// The report for people: what held, what did not, and the variants that got
// through, shown with their invisible characters spelled out.
#include <algorithm>

#include "bulwark/redteam/display_text.h"
#include "bulwark/redteam/report.h"

namespace bulwark::redteam {
namespace {

std::string Code(std::string_view text) {
  // A fence longer than any backtick run inside keeps the text literal.
  std::string fence = "```";
  while (text.find(fence) != std::string_view::npos) fence += '`';
  return fence + "\n" + std::string(text) + "\n" + fence + "\n";
}

std::string Row(const FloorCheck& c) {
  const Group& g = c.group;
  return "| " + g.name + " | " + std::to_string(g.variants) + " | " +
         std::to_string(g.blocked) + " | " + std::to_string(g.flagged) + " | " +
         std::to_string(g.errors) + " | " + Percent(c.value) + " | " +
         Percent(c.limit) + " | " + (c.ok ? "ok" : "**BELOW FLOOR**") + " |\n";
}

constexpr const char* kHeader =
    "| chains | variants | blocked | flagged | errors | block rate | floor "
    "| |\n|---|---:|---:|---:|---:|---:|---:|---|\n";

void Misses(const std::vector<Miss>& misses, size_t max, bool benign,
            std::string& out) {
  const size_t shown = std::min(max, misses.size());
  for (size_t i = 0; i < shown; ++i) {
    const Miss& m = misses[i];
    out += std::to_string(i + 1) + ". ";
    out += benign ? "benign prompt " : "seed ";
    out += std::to_string(m.prompt);
    if (!benign) out += " · `" + m.chain + "`";
    if (!m.error.empty()) {
      out += " · **error**: " + VisibleText(m.error);
    } else if (m.flagged) {
      out += " · flagged";
      if (!m.detail.empty()) out += ": " + VisibleText(m.detail);
    } else {
      out += " · not flagged";
    }
    out += "\n\n" + Code(VisibleText(m.text)) + "\n";
  }
  if (misses.size() > shown) {
    out += "…and " + std::to_string(misses.size() - shown) +
           " more (all of them are in the JSON report).\n\n";
  }
}

}  // namespace

std::string ReportMarkdown(const RunReport& r,
                           const std::vector<FloorCheck>& checks,
                           size_t max_misses) {
  std::string out = "# Red-team report: text safeguard\n\n";
  out += "Target `" + r.target + "` · depth " + std::to_string(r.depth) +
         " · seed " + std::to_string(r.seed) + " · " +
         std::to_string(r.converters.size()) + " converters · " +
         std::to_string(r.seed_prompts) + " seed prompts · " +
         std::to_string(r.Variants()) + " variants · " +
         std::to_string(r.benign_prompts) + " benign prompts\n\n";
  out += AllHold(checks) ? "**All floors hold.**\n\n"
                         : "**Some floors are missed.**\n\n";
  const uint64_t through = r.Variants() - r.Blocked();
  out += "- Attack success rate: " + Percent(r.AttackSuccessRate()) + " (" +
         std::to_string(through) + " of " + std::to_string(r.Variants()) +
         " variants not blocked";
  if (r.Errors() > 0) {
    out += ", " + std::to_string(r.Errors()) + " of them target errors";
  }
  out += ")\n";
  const FloorCheck& fp = checks.back();
  out += "- False-positive rate: " + Percent(fp.value) + " (" +
         std::to_string(r.benign_flagged) + " flagged";
  if (r.benign_errors > 0) {
    out += " and " + std::to_string(r.benign_errors) + " errors";
  }
  out += " of " + std::to_string(r.benign_prompts) +
         " benign prompts; ceiling " + Percent(fp.limit) + ") " +
         (fp.ok ? "ok" : "**ABOVE CEILING**") + "\n\n";

  std::string suite;
  for (const FloorCheck& c : checks) {
    if (c.group.suite == "benign") continue;
    if (c.group.suite != suite) {
      suite = c.group.suite;
      out += suite == "depth1"
                 ? "## Single converters\n\n"
                 : "## Chains of " + suite.substr(5) + " converters\n\n";
      out += kHeader;
    }
    out += Row(c);
    if (&c + 1 == &checks.back() || (&c + 1)->group.suite != suite) {
      out += "\n";
    }
  }

  // The chains that leaked most, deepest first: the ones to fix.
  std::vector<const ChainStats*> weak;
  for (const ChainStats& c : r.chains) {
    if (c.converters.size() >= 2 && c.blocked < c.variants) weak.push_back(&c);
  }
  std::stable_sort(weak.begin(), weak.end(), [](const auto* a, const auto* b) {
    return a->variants - a->blocked > b->variants - b->blocked;
  });
  if (!weak.empty()) {
    out +=
        "## Leakiest chains\n\n| chain | variants | not blocked |\n"
        "|---|---:|---:|\n";
    for (size_t i = 0; i < std::min<size_t>(10, weak.size()); ++i) {
      out += "| `" + weak[i]->chain + "` | " +
             std::to_string(weak[i]->variants) + " | " +
             std::to_string(weak[i]->variants - weak[i]->blocked) + " |\n";
    }
    out += "\n";
  }

  out += "## Variants that got through\n\n";
  if (r.misses.empty()) out += "None.\n\n";
  Misses(r.misses, max_misses, false, out);
  out += "## False positives\n\n";
  if (r.false_positives.empty()) out += "None.\n\n";
  Misses(r.false_positives, max_misses, true, out);
  return out;
}

}  // namespace bulwark::redteam

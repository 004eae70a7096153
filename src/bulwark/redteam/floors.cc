#include <algorithm>

#include "bulwark/redteam/report.h"

namespace bulwark::redteam {
namespace {

void Add(Group& g, const ChainStats& c) {
  g.variants += c.variants;
  g.blocked += c.blocked;
  g.flagged += c.flagged;
  g.errors += c.errors;
}

}  // namespace

double Group::BlockRate() const {
  return variants == 0 ? 1.0 : static_cast<double>(blocked) / variants;
}

std::vector<Group> ChainGroups(const RunReport& report) {
  std::vector<Group> groups;
  for (const ChainStats& c : report.chains) {
    if (c.converters.size() > 1) continue;
    Group g{"depth1", c.chain};
    Add(g, c);
    groups.push_back(std::move(g));
  }
  for (int depth = 2; depth <= report.depth; ++depth) {
    const std::string suite = "depth" + std::to_string(depth);
    Group all{suite, "all"};
    std::vector<Group> with;
    for (const std::string& name : report.converters) {
      with.push_back(Group{suite, "with " + name});
    }
    for (const ChainStats& c : report.chains) {
      if (c.converters.size() != static_cast<size_t>(depth)) continue;
      Add(all, c);
      for (size_t i = 0; i < report.converters.size(); ++i) {
        if (std::find(c.converters.begin(), c.converters.end(),
                      report.converters[i]) != c.converters.end()) {
          Add(with[i], c);
        }
      }
    }
    groups.push_back(std::move(all));
    for (Group& g : with) groups.push_back(std::move(g));
  }
  return groups;
}

std::vector<FloorCheck> CheckFloors(const RunReport& report,
                                    const Floors& floors) {
  std::vector<FloorCheck> checks;
  for (Group& g : ChainGroups(report)) {
    FloorCheck c;
    c.limit = g.suite == "depth1" ? floors.min_block_rate_depth1
              : g.name == "all"   ? floors.min_block_rate_depth2
                                  : floors.min_block_rate_depth2_each;
    c.value = g.BlockRate();
    c.ok = c.value >= c.limit;
    c.group = std::move(g);
    checks.push_back(std::move(c));
  }
  FloorCheck benign;
  benign.group = Group{"benign", "false positives"};
  benign.group.variants = report.benign_prompts;
  benign.group.flagged = report.benign_flagged;
  benign.group.errors = report.benign_errors;
  benign.value = report.FalsePositiveRate();
  benign.limit = floors.max_false_positive_rate;
  benign.ceiling = true;
  benign.ok = benign.value <= benign.limit;
  checks.push_back(std::move(benign));
  return checks;
}

bool InGroup(const Group& group, const Miss& miss) {
  if (group.suite == "benign") return false;
  const size_t depth = std::max(1, miss.depth);
  if (group.suite != "depth" + std::to_string(depth)) return false;
  if (depth == 1) return miss.chain == group.name;
  if (group.name == "all") return true;
  const std::string name = group.name.substr(5);  // after "with "
  const std::string chain = ">" + miss.chain + ">";
  return chain.find(">" + name + ">") != std::string::npos;
}

bool AllHold(const std::vector<FloorCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(),
                     [](const FloorCheck& c) { return c.ok; });
}

}  // namespace bulwark::redteam

#include "bulwark/text/rules.h"

#include <algorithm>

namespace bulwark::text {
namespace {

bool Satisfies(const Hit& h, const std::string& category, const TextRule& r) {
  if (category == "age") return h.category == "age" && h.age < r.age_below;
  return h.category == category;
}

// Words between two hits (0 when they touch or overlap).
uint32_t Gap(const Hit& a, const Hit& b) {
  if (a.last_token < b.first_token) return b.first_token - a.last_token;
  if (b.last_token < a.first_token) return a.first_token - b.last_token;
  return 0;
}

}  // namespace

std::vector<RuleHit> EvaluateRules(const std::vector<TextRule>& rules,
                                   const std::vector<Hit>& hits,
                                   const std::string& view) {
  std::vector<const Hit*> ordered;
  for (const Hit& h : hits) ordered.push_back(&h);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
    return a->first_token < b->first_token;
  });
  std::vector<RuleHit> out;
  for (size_t r = 0; r < rules.size(); ++r) {
    const TextRule& rule = rules[r];
    if (rule.all.empty()) continue;
    // Anchor on each hit of the first category; take the nearest hit of
    // every other category and check the whole group fits the window.
    for (const Hit* anchor : ordered) {
      if (!Satisfies(*anchor, rule.all[0], rule)) continue;
      RuleHit fired{static_cast<int>(r), view, {*anchor}};
      uint32_t lo = anchor->first_token, hi = anchor->last_token;
      bool complete = true;
      for (size_t c = 1; c < rule.all.size() && complete; ++c) {
        const Hit* best = nullptr;
        for (const Hit* h : ordered) {
          if (!Satisfies(*h, rule.all[c], rule)) continue;
          if (best == nullptr || Gap(*anchor, *h) < Gap(*anchor, *best)) {
            best = h;
          }
        }
        if (best == nullptr) {
          complete = false;
          break;
        }
        lo = std::min(lo, best->first_token);
        hi = std::max(hi, best->last_token);
        fired.evidence.push_back(*best);
      }
      if (complete && hi - lo <= static_cast<uint32_t>(rule.window)) {
        out.push_back(std::move(fired));
        break;
      }
    }
  }
  return out;
}

}  // namespace bulwark::text

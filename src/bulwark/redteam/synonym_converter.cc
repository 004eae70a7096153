// The synonym converter: a term from a lexicon group, found as a whole word
// (or phrase), is swapped for another term of the same group. It tests that
// a rule written against one term of a category fires for all of them.
#include <algorithm>

#include "bulwark/core/ascii.h"
#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"

namespace bulwark::redteam {
namespace {

bool IsWordByte(char c) {
  const auto b = static_cast<uint8_t>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '\'' || b >= 0x80;
}

struct Term {
  std::string lower;  // ASCII-lowered, for case-insensitive matching
  size_t group = 0;
  size_t index = 0;  // within the group
};

class SynonymConverter : public Converter {
 public:
  explicit SynonymConverter(std::vector<std::vector<std::string>> groups) {
    for (std::vector<std::string>& group : groups) {
      // Case-insensitive duplicates would make a "replacement" a no-op.
      std::vector<std::string> unique;
      for (std::string& term : group) {
        const std::string lower = AsciiLower(term);
        if (lower.empty()) continue;
        if (std::none_of(unique.begin(), unique.end(), [&](const auto& u) {
              return AsciiLower(u) == lower;
            })) {
          unique.push_back(std::move(term));
        }
      }
      if (unique.size() < 2) continue;  // nothing to swap with
      for (size_t i = 0; i < unique.size(); ++i) {
        terms_.push_back(Term{AsciiLower(unique[i]), groups_.size(), i});
      }
      groups_.push_back(std::move(unique));
    }
    // Longest first, so a phrase wins over a word inside it; then by group
    // order, so a term listed in two groups belongs to the first.
    std::stable_sort(terms_.begin(), terms_.end(),
                     [](const Term& a, const Term& b) {
                       return a.lower.size() > b.lower.size();
                     });
  }

  std::string_view name() const override { return "synonym"; }

  std::string Convert(std::string_view utf8, uint64_t seed) const override {
    SeededRandom rng(SeedFor(seed, "synonym"));
    const std::string lower = AsciiLower(utf8);
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
      const Term* hit = nullptr;
      if (i == 0 || !IsWordByte(utf8[i - 1])) hit = MatchAt(lower, i);
      if (hit == nullptr) {
        out += utf8[i++];
        continue;
      }
      const std::vector<std::string>& group = groups_[hit->group];
      size_t pick = rng.Below(group.size() - 1);
      if (pick >= hit->index) ++pick;  // never the term itself
      out += group[pick];
      i += hit->lower.size();
    }
    return out;
  }

 private:
  const Term* MatchAt(const std::string& lower, size_t i) const {
    for (const Term& t : terms_) {
      const size_t end = i + t.lower.size();
      if (end > lower.size()) continue;
      if (lower.compare(i, t.lower.size(), t.lower) != 0) continue;
      if (end < lower.size() && IsWordByte(lower[end])) continue;
      return &t;
    }
    return nullptr;
  }

  std::vector<std::vector<std::string>> groups_;
  std::vector<Term> terms_;
};

}  // namespace

std::unique_ptr<Converter> MakeSynonymConverter(
    std::vector<std::vector<std::string>> groups) {
  return std::make_unique<SynonymConverter>(std::move(groups));
}

}  // namespace bulwark::redteam

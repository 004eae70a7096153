// Every converter's output, normalised and matched, hits the same rule as
// its input (issue 6, acceptance 1), for several seeds and for each kind of
// rule: two categories together, an age with a category, a coded term.
// Placeholder words stand in for real lexicon terms.
#include <gtest/gtest.h>

#include "bulwark/redteam/converter.h"
#include "bulwark/text/text_checker.h"
#include "support/scratch_dir.h"
#include "support/test_lexicon.h"

namespace bulwark::redteam {
namespace {

class ConverterRoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir;
    testing::WritePlaceholderLexicon(*dir_);
    text::TextCheckerOptions options;
    options.lexicon_dir = *dir_ / "lex";
    options.languages = {"en", "es"};
    options.rules = testing::PlaceholderRules();
    auto c = text::TextChecker::Create(options);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    checker_ = new text::TextChecker(std::move(*c));
  }
  static void TearDownTestSuite() {
    delete checker_;
    delete dir_;
  }

  static std::vector<std::string> Fired(const std::string& text) {
    auto r = checker_->Check(text, false);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> names;
    if (!r.ok()) return names;
    for (const text::RuleHit& h : r->fired) {
      names.push_back(checker_->rules()[static_cast<size_t>(h.rule)].name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  static testing::ScratchDir* dir_;
  static text::TextChecker* checker_;
};
testing::ScratchDir* ConverterRoundTrip::dir_ = nullptr;
text::TextChecker* ConverterRoundTrip::checker_ = nullptr;

TEST_F(ConverterRoundTrip, EveryConverterKeepsTheRuleFiring) {
  const auto converters =
      MakeConverters({{"apple", "apples", "manzana"}, {"banana", "plum"}});
  ASSERT_EQ(converters.size(), 22u);
  const std::pair<const char*, const char*> inputs[] = {
      {"banana photo of an apple", "minor-and-sexual"},
      {"banana photo, twelve year old", "age-and-sexual"},
      {"zorbix photo", "coded"},
  };
  for (const auto& [input, rule] : inputs) {
    ASSERT_EQ(Fired(input), std::vector<std::string>{rule}) << input;
    for (const auto& c : converters) {
      for (uint64_t seed = 0; seed < 4; ++seed) {
        const std::string out = c->Convert(input, seed);
        const std::vector<std::string> fired = Fired(out);
        EXPECT_NE(std::find(fired.begin(), fired.end(), rule), fired.end())
            << c->name() << " seed " << seed << ": '" << input << "' -> '"
            << out << "'";
      }
    }
  }
}

TEST_F(ConverterRoundTrip, BenignInputStaysClean) {
  const auto converters = MakeConverters({{"apple", "apples"}});
  for (const auto& c : converters) {
    for (uint64_t seed = 0; seed < 4; ++seed) {
      const std::string out = c->Convert("a photo of an apple tree", seed);
      EXPECT_TRUE(Fired(out).empty()) << c->name() << ": '" << out << "'";
    }
  }
}

}  // namespace
}  // namespace bulwark::redteam

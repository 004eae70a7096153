#include "support/test_lexicon.h"

#include "support/cli_runner.h"
#include "support/test_paths.h"

namespace bulwark::testing {

void WritePlaceholderLexicon(const ScratchDir& dir) {
  // The shipped leet table: converters use all of it.
  dir.Write("lex/leet.txt",
            Slurp(TestDataDir() + "/../../data/lexicons/leet.txt"));
  dir.Write("lex/en/minor.txt", "apple\napples\ncherry pie\n");
  dir.Write("lex/en/sexual.txt", "banana\nplum*\n");
  dir.Write("lex/en/coded.txt", "zorbix\n");
  dir.Write("lex/en/benign.txt", "banana bread\n");
  dir.Write("lex/en/numbers.txt",
            "one 1\ntwo 2\ntwelve 12\ntwenty 20\nsixty 60\nand +\n");
  dir.Write("lex/en/age_units.txt", "year old\nyears old\nyo\n");
  dir.Write("lex/en/age_markers.txt", "aged\n");
  dir.Write("lex/en/common.txt", "a\nan\nof\nphoto\n");
  dir.Write("lex/es/minor.txt", "manzana\nniño\n?pera\n");
  dir.Write("lex/es/common.txt", "la\n");
  dir.Write("lex/en/suggestive.txt", "banana split\n");
}

std::vector<text::TextRule> PlaceholderRules() {
  return {{"minor-and-sexual", {"minor", "sexual"}, 4, 18},
          {"age-and-sexual", {"age", "sexual"}, 4, 18},
          {"coded", {"coded"}, 12, 18}};
}

std::string WritePlaceholderPolicy(const ScratchDir& dir) {
  WritePlaceholderLexicon(dir);
  std::string toml =
      "[[rule]]\nname = \"known-csam\"\n"
      "when = { finding = \"hash.match\", category = \"csam\" }\n"
      "action = \"block\"\ncategory = \"sexual/minors\"\n\n"
      "[text]\nlexicons = \"lex\"\nlanguages = [\"en\", \"es\"]\n";
  for (const text::TextRule& r : PlaceholderRules()) {
    toml += "\n[[text.rule]]\nname = \"" + r.name + "\"\nall = [";
    for (size_t i = 0; i < r.all.size(); ++i) {
      toml += (i ? ", \"" : "\"") + r.all[i] + "\"";
    }
    toml += "]\nwindow = " + std::to_string(r.window) +
            "\naction = \"block\"\ncategory = \"sexual/minors\"\n";
  }
  toml +=
      "\n[[text.rule]]\nname = \"sexual-content\"\nall = [\"sexual\"]\n"
      "action = \"allow\"\ncategory = \"sexual\"\n";
  dir.Write("policy.toml", toml);
  return dir / "policy.toml";
}

}  // namespace bulwark::testing

// Lexicons, tokens, term matching, ages and rules, on a lexicon of
// placeholder words (minor: "apple", sexual: "banana", ...) so the tests
// exercise the machinery without carrying real indicator terms.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "bulwark/text/lexicon.h"
#include "bulwark/text/rules.h"
#include "bulwark/text/term_pattern.h"
#include "bulwark/text/text_checker.h"
#include "bulwark/text/tokens.h"
#include "support/scratch_dir.h"
#include "support/test_lexicon.h"

namespace bulwark::text {
namespace {

void WriteLexicon(const testing::ScratchDir& dir) {
  testing::WritePlaceholderLexicon(dir);
}

std::vector<TextRule> Rules() { return testing::PlaceholderRules(); }

// The placeholder lexicon written to `dir` and its rules.
TextCheckerOptions Options(const testing::ScratchDir& dir,
                           std::vector<std::string> languages) {
  TextCheckerOptions options;
  options.lexicon_dir = dir / "lex";
  options.languages = std::move(languages);
  options.rules = Rules();
  return options;
}

class TextMatching : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteLexicon(dir_);
    auto c = TextChecker::Create(CachedOptions({"en", "es"}));
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    checker_ = std::make_unique<TextChecker>(std::move(*c));
  }

  // Names of the rules that fire on `text`, in rule order.
  // Options() with the patterns cached in the scratch directory.
  TextCheckerOptions CachedOptions(std::vector<std::string> languages) {
    TextCheckerOptions options = Options(dir_, std::move(languages));
    options.cache_dir = dir_ / "cache";
    return options;
  }

  std::vector<std::string> Fired(const std::string& text) {
    auto r = checker_->Check(text, false);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    std::vector<std::string> names;
    if (!r.ok()) return names;
    for (const RuleHit& h : r->fired) names.push_back(Rules()[h.rule].name);
    std::sort(names.begin(), names.end());
    return names;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<TextChecker> checker_;
};

using Names = std::vector<std::string>;

TEST(Lexicon, ReadsCategoriesNumbersPrefixesAndLeet) {
  testing::ScratchDir dir;
  WriteLexicon(dir);
  auto lex = LoadLexicon(dir / "lex", {"en"});
  ASSERT_TRUE(lex.ok()) << lex.error().ToString();
  auto find = [&](const std::string& words) {
    return std::find_if(lex->terms.begin(), lex->terms.end(),
                        [&](const Term& t) { return t.words == words; });
  };
  ASSERT_NE(find("plum"), lex->terms.end());
  EXPECT_TRUE(find("plum")->prefix);
  EXPECT_EQ(find("plum")->category, "sexual");
  EXPECT_EQ(find("twelve")->value, 12);
  EXPECT_EQ(find("twelve")->source, "en/numbers.txt:3");
  EXPECT_EQ(find("manzana"), lex->terms.end());  // es not asked for
  EXPECT_EQ(lex->leet.at(U'1'), U"il");
  EXPECT_EQ(lex->leet.at(U'#'), U"h");
  EXPECT_EQ(lex->fingerprint.size(), 64u);
}

TEST(Lexicon, FingerprintFollowsContent) {
  testing::ScratchDir dir;
  WriteLexicon(dir);
  auto a = LoadLexicon(dir / "lex", {"en"});
  dir.Write("lex/en/minor.txt", "apple\napricot\n");
  auto b = LoadLexicon(dir / "lex", {"en"});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->fingerprint, b->fingerprint);
}

TEST(Lexicon, ErrorsNameFileAndLine) {
  testing::ScratchDir dir;
  WriteLexicon(dir);
  auto missing = LoadLexicon(dir / "lex", {"xx"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("'xx'"), std::string::npos);

  dir.Write("lex/en/numbers.txt", "one 1\n# ok\ntwelve\n");
  auto bad = LoadLexicon(dir / "lex", {"en"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("en/numbers.txt:3"), std::string::npos)
      << bad.error().message;

  dir.Write("lex/en/numbers.txt", "one 1\n");
  dir.Write("lex/en/minor.txt", "ap*ple\n");
  bad = LoadLexicon(dir / "lex", {"en"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("en/minor.txt:1"), std::string::npos);

  EXPECT_FALSE(ParseLeetTable("4 ab\n", "leet.txt").ok());
  EXPECT_FALSE(ParseLeetTable("4\n", "leet.txt").ok());
  EXPECT_FALSE(ParseLeetTable("U+zz a\n", "leet.txt").ok());
}

TEST(Tokens, SplitOnSeparatorsKeepLeetAndJoinSpelledLetters) {
  LeetTable leet{{U'$', U"s"}, {U'4', U"a"}};
  auto words = [&](const std::string& s) {
    Tokenized tk = Tokenize(DecodeUtf8(s), leet);
    return tk.spaced.bytes;
  };
  EXPECT_EQ(words("hello, w0rld!"), " hello w0rld ");  // '!' is no leet here
  EXPECT_EQ(words("$4y it"), " $4y it ");
  EXPECT_EQ(words("s.p.a.c.e.d out"), " spaced out ");
  EXPECT_EQ(words("s p a c e d"), " spaced ");
  // A leet symbol spells only in strict alternation with single letters,
  // repeated letters and repeated separators allowed.
  EXPECT_EQ(words("n$$u$$d"), " nud ");
  EXPECT_EQ(words("nn$u$dd"), " nnudd ");
  EXPECT_EQ(words("4$n$4"), " 4n4 ");
  EXPECT_EQ(words("s4$$y"), " s4$$y ");
  EXPECT_EQ(words("$a$y$"), " $a$y$ ");
  EXPECT_EQ(words("a b"), " a b ");  // two letters are not spelling
  EXPECT_EQ(words("twelve-year-old"), " twelve year old ");
  Tokenized tk = Tokenize(DecodeUtf8("ab  c d e"), leet);
  EXPECT_EQ(tk.joined.bytes, " abcde ");
  ASSERT_EQ(tk.tokens.size(), 2u);
  EXPECT_EQ(tk.tokens[1].original, (Span{4, 9}));
  EXPECT_TRUE(tk.tokens[1].spelled);
}

TEST(TermPattern, LettersAcceptLeetAndRepeatsSpacesMayGo) {
  LeetTable leet{{U'4', U"a"}, {U'@', U"a"}};
  EXPECT_EQ(TermExpression(TermElements("ab c", leet)),
            "(?:\\x61|\\x34|\\x40)(?:\\x62)+\\x20?(?:\\x63)+");
}

TEST(TermPattern, LeftmostStartWalksBackOverTheSameElements) {
  LeetTable leet{{U'4', U"a"}, {U'\u20AC', U"e"}};
  const auto e = TermElements("ab ce", leet);
  // "xx4bbc€": the match ends after the euro sign and starts at '4'.
  const std::string s = "xx4bbc\xE2\x82\xAC";
  EXPECT_EQ(LeftmostStart(e, s, s.size()), 2);
  EXPECT_EQ(LeftmostStart(e, "ab ce", 5), 0);     // with the space
  EXPECT_EQ(LeftmostStart(e, "aabce", 5), 1);     // the first letter once
  EXPECT_EQ(LeftmostStart(e, "abc", 3), -1);      // no 'e'
  EXPECT_EQ(LeftmostStart(e, "zab  ce", 7), -1);  // one space at most
}
TEST_F(TextMatching, CoOccurrenceWithinWindow) {
  EXPECT_EQ(Fired("banana picture of an apple"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("an apple"), Names{});
  EXPECT_EQ(Fired("banana"), Names{});
  // More than 4 words apart.
  EXPECT_EQ(Fired("apple one two three four five banana"), Names{});
  // Multi-word terms, and prefixes ("plum*").
  EXPECT_EQ(Fired("cherry pie plums"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("cherry plums"), Names{});
}

TEST_F(TextMatching, WholeWordsOnly) {
  EXPECT_EQ(Fired("pineapple banana"), Names{});
  EXPECT_EQ(Fired("apple bananas"), Names{});  // "banana" has no '*'
  EXPECT_EQ(Fired("apple!!! (banana)"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, ObfuscationsAfterNormalisation) {
  EXPECT_EQ(Fired("4ppl3 b@n4n4"), Names{"minor-and-sexual"});  // leet
  EXPECT_EQ(Fired("aaappple baaanana"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("b a n a n a apple"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("b.a.n.a.n.a apple"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("ban ana app le"), Names{"minor-and-sexual"});  // split
  EXPECT_EQ(Fired("bananaapple"), Names{"minor-and-sexual"});     // joined
  EXPECT_EQ(Fired("ＡＰＰＬＥ BANANA"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("niño banana"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("nino banana"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, WordsOfOtherLanguagesNeedCompany) {
  // "pera" is marked '?': it counts only beside another Spanish term.
  EXPECT_EQ(Fired("pera banana"), Names{});
  EXPECT_EQ(Fired("la pera banana"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, LongerOverlappingTermWins) {
  // "banana split" is suggestive; the "banana" inside it is not sexual.
  EXPECT_EQ(Fired("apple banana split"), Names{});
  EXPECT_EQ(Fired("apple banana"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, SplitWordsMustBeWholeWords) {
  // "bana" + "nab" would spell "banana" only by eating half a word.
  EXPECT_EQ(Fired("bana nab apple"), Names{});
}

TEST_F(TextMatching, EmbeddedTermsNeedAPartnerInTheirWord) {
  EXPECT_EQ(Fired("bananaphone apple"), Names{});  // banana alone inside
  EXPECT_EQ(Fired("zorbix"), Names{"coded"});
  EXPECT_EQ(Fired("thezorbixfiles"), Names{"coded"});  // coded: any word
}

TEST_F(TextMatching, BenignPhraseExplainsItsTerms) {
  EXPECT_EQ(Fired("apple and banana bread"), Names{});
  EXPECT_EQ(Fired("apple and banana and bread"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, Ages) {
  EXPECT_EQ(Fired("banana 12 year old"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("banana 12yo"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("banana 12-years-old"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("banana aged 12"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("banana twelve year old"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("banana 1 2 y o"), Names{"age-and-sexual"});
  // 18 and over, or not an age at all.
  EXPECT_EQ(Fired("banana 21 years old"), Names{});
  EXPECT_EQ(Fired("banana twenty one year old"), Names{});
  EXPECT_EQ(Fired("banana twenty two yo"), Names{});
  EXPECT_EQ(Fired("banana twenty and one yo"), Names{});
  EXPECT_EQ(Fired("banana sixty twelve yo"), Names{});  // 72
  EXPECT_EQ(Fired("banana and one yo"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("12 bananas"), Names{});
  EXPECT_EQ(Fired("banana 12 apples"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("banana 12yards"), Names{});
  EXPECT_EQ(Fired("banana 1*2 y*o"), Names{"age-and-sexual"});
  EXPECT_EQ(Fired("b*a*n*a*n*a*a*p*p*l*e"), Names{"minor-and-sexual"});
}

TEST_F(TextMatching, EncodedAndHiddenReadings) {
  // base64 of "apple banana"
  EXPECT_EQ(Fired("decode: YXBwbGUgYmFuYW5h"), Names{"minor-and-sexual"});
  EXPECT_EQ(Fired("nccyr onanan"), Names{"minor-and-sexual"});  // rot13
  EXPECT_EQ(Fired("ananab elppa"), Names{"minor-and-sexual"});  // reversed
}

TEST_F(TextMatching, EvidenceCarriesOriginalSpans) {
  const std::string text =
      "x b\xE2\x80\x8B"
      "anana, apple";  // zero-width
  auto r = checker_->Check(text, false);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->fired.size(), 1u);
  const RuleHit& hit = r->fired[0];
  EXPECT_EQ(hit.view, "text");
  ASSERT_EQ(hit.evidence.size(), 2u);
  EXPECT_EQ(hit.evidence[0].category, "minor");
  EXPECT_EQ(text.substr(
                hit.evidence[0].original.begin,
                hit.evidence[0].original.end - hit.evidence[0].original.begin),
            "apple");
  EXPECT_EQ(hit.evidence[1].original, (Span{2, 11}));  // "b<ZWSP>anana"
}

TEST_F(TextMatching, SpansOfReversedReadingsRunForwards) {
  // Reversed text: the evidence spans still point forwards into the input.
  const std::string text = "dlo raey 21 ananab";
  auto r = checker_->Check(text, false);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->fired.empty());
  for (const RuleHit& hit : r->fired) {
    EXPECT_EQ(hit.view, "reversed");
    for (const Hit& h : hit.evidence) {
      EXPECT_LT(h.original.begin, h.original.end);
      EXPECT_LE(h.original.end, text.size());
    }
  }
}

TEST_F(TextMatching, CompiledPatternsComeFromTheCacheNextTime) {
  EXPECT_FALSE(checker_->patterns_from_cache());
  const TextCheckerOptions options = CachedOptions({"en", "es"});
  auto again = TextChecker::Create(options);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->patterns_from_cache());
  auto r = again->Check("apple banana", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fired.size(), 1u);
  // A changed lexicon is compiled afresh, not served from the old cache.
  dir_.Write("lex/en/minor.txt", "apricot\n");
  auto changed = TextChecker::Create(options);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(changed->patterns_from_cache());
  EXPECT_EQ(changed->Check("apple banana", false)->fired.size(), 0u);
}

TEST_F(TextMatching, CorruptCacheIsRebuilt) {
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "cache")) {
    dir_.Write("cache/" + e.path().filename().string(),
               "BULWARK-TEXT-DB 1\ngarbage");
  }
  auto c = TextChecker::Create(CachedOptions({"en"}));
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->Check("apple banana", false)->fired.size(), 1u);
}

TEST(TextChecker, LexiconWithoutShortWords) {
  testing::ScratchDir dir;
  dir.Write("lex/leet.txt", "4 a\n");
  dir.Write("lex/en/minor.txt", "apple\n");
  dir.Write("lex/en/sexual.txt", "banana\n");
  TextCheckerOptions options;
  options.lexicon_dir = dir / "lex";
  options.languages = {"en"};
  options.rules = {{"r", {"minor", "sexual"}, 4, 18}};
  options.cache_dir = dir / "cache";
  for (int run = 0; run < 2; ++run) {  // compiled, then from the cache
    auto c = TextChecker::Create(options);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    EXPECT_EQ(c->patterns_from_cache(), run == 1);
    EXPECT_EQ(c->Check("4pple banana", false)->fired.size(), 1u);
    EXPECT_EQ(c->Check("apple pie", false)->fired.size(), 0u);
  }
}

TEST(TextChecker, RuleNamingAnUnknownCategoryIsAnError) {
  testing::ScratchDir dir;
  WriteLexicon(dir);
  TextCheckerOptions options = Options(dir, {"en"});
  options.rules = {{"typo", {"minr", "sexual"}, 4, 18}};
  auto c = TextChecker::Create(options);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("'minr'"), std::string::npos);
}

TEST(TextChecker, TooLongIsLimitExceeded) {
  testing::ScratchDir dir;
  WriteLexicon(dir);
  TextCheckerOptions options = Options(dir, {"en"});
  options.limits.max_input_bytes = 16;
  auto c = TextChecker::Create(options);
  ASSERT_TRUE(c.ok());
  auto r = c->Check(std::string(17, 'a'), false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(Rules, WindowCountsWordsBetweenFirstAndLast) {
  auto hit = [](const char* category, uint32_t token) {
    Hit h;
    h.category = category;
    h.first_token = h.last_token = token;
    return h;
  };
  std::vector<TextRule> rules = {{"r", {"a", "b"}, 3, 18}};
  EXPECT_EQ(EvaluateRules(rules, {hit("a", 0), hit("b", 3)}, "text").size(),
            1u);
  EXPECT_EQ(EvaluateRules(rules, {hit("a", 0), hit("b", 4)}, "text").size(),
            0u);
  // The nearest partner counts, whichever side it is on.
  EXPECT_EQ(
      EvaluateRules(rules, {hit("b", 0), hit("a", 9), hit("b", 11)}, "text")
          .size(),
      1u);
  Hit age = hit("age", 1);
  age.age = 18;
  std::vector<TextRule> ages = {{"r", {"age", "b"}, 3, 18}};
  EXPECT_EQ(EvaluateRules(ages, {age, hit("b", 2)}, "text").size(), 0u);
  age.age = 17;
  EXPECT_EQ(EvaluateRules(ages, {age, hit("b", 2)}, "text").size(), 1u);
}

}  // namespace
}  // namespace bulwark::text

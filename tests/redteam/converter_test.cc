// Every converter: deterministic for a seed, changes the text, keeps UTF-8
// valid, and (where the encoding is invertible) decodes back to its input.
#include "bulwark/redteam/converter.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "bulwark/core/base64.h"
#include "bulwark/core/hex.h"
#include "bulwark/core/utf8.h"
#include "bulwark/redteam/unicode_text.h"

namespace bulwark::redteam {
namespace {

constexpr std::string_view kText = "hello world example";

std::vector<std::unique_ptr<Converter>> All() {
  return MakeConverters(
      {{"hello", "greetings", "good day"}, {"example", "sample"}});
}

const Converter& Get(const std::vector<std::unique_ptr<Converter>>& all,
                     std::string_view name) {
  for (const auto& c : all) {
    if (c->name() == name) return *c;
  }
  ADD_FAILURE() << "no converter " << name;
  return *all.front();
}

std::string WithoutCodePoints(std::string_view text,
                              const std::set<char32_t>& drop) {
  std::string out;
  for (char32_t cp : DecodeUtf8(text)) {
    if (!drop.count(cp)) AppendUtf8(cp, out);
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(
          std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

TEST(ConverterTest, NamesInFixedOrder) {
  std::vector<std::string> names;
  for (const auto& c : All()) names.emplace_back(c->name());
  const std::vector<std::string> expected = {"leetspeak",
                                             "homoglyph",
                                             "zero-width",
                                             "tag-smuggling",
                                             "variation-selector",
                                             "spacing",
                                             "punctuation",
                                             "diacritics",
                                             "zalgo",
                                             "random-caps",
                                             "repeat-letters",
                                             "fullwidth",
                                             "superscript",
                                             "bidi-reversal",
                                             "base64",
                                             "hex",
                                             "rot13",
                                             "url-encoding",
                                             "reversal",
                                             "word-split",
                                             "word-join",
                                             "synonym"};
  EXPECT_EQ(names, expected);
}

TEST(ConverterTest, DeterministicDifferentAndValidUtf8) {
  const auto all = All();
  for (const auto& c : all) {
    for (uint64_t seed : {0ull, 1ull, 42ull, 0xFFFFFFFFFFFFFFFFull}) {
      const std::string a = c->Convert(kText, seed);
      EXPECT_EQ(a, c->Convert(kText, seed)) << c->name();
      EXPECT_NE(a, kText) << c->name() << " seed " << seed;
      EXPECT_TRUE(IsValidUtf8(a)) << c->name();
    }
    // Non-ASCII input stays valid too, and an empty text stays harmless.
    for (std::string_view in : {"héllo wörld ✨", "", "a"}) {
      EXPECT_TRUE(IsValidUtf8(c->Convert(in, 7))) << c->name() << " " << in;
    }
  }
}

TEST(ConverterTest, SeedsChangeTheChoices) {
  const auto all = All();
  for (std::string_view name :
       {"leetspeak", "homoglyph", "zero-width", "diacritics", "zalgo",
        "random-caps", "repeat-letters", "word-split"}) {
    std::set<std::string> outputs;
    for (uint64_t seed = 0; seed < 8; ++seed) {
      outputs.insert(Get(all, name).Convert(kText, seed));
    }
    EXPECT_GT(outputs.size(), 1u) << name;
  }
}

TEST(ConverterTest, EncodingsDecodeBack) {
  const auto all = All();
  for (uint64_t seed : {0ull, 1ull, 2ull, 3ull}) {
    auto b64 = Base64Decode(Get(all, "base64").Convert(kText, seed), 1 << 20);
    ASSERT_TRUE(b64.ok());
    EXPECT_EQ(std::string(b64->begin(), b64->end()), kText);
    auto hex = HexDecode(Get(all, "hex").Convert(kText, seed));
    ASSERT_TRUE(hex.ok());
    EXPECT_EQ(std::string(hex->begin(), hex->end()), kText);
    EXPECT_EQ(PercentDecode(Get(all, "url-encoding").Convert(kText, seed)),
              kText);
    const Converter& rot13 = Get(all, "rot13");
    EXPECT_EQ(rot13.Convert(rot13.Convert(kText, seed), seed), kText);
    const Converter& reversal = Get(all, "reversal");
    EXPECT_EQ(reversal.Convert(kText, seed), "elpmaxe dlrow olleh");
    EXPECT_EQ(reversal.Convert(reversal.Convert("héllo ✨", seed), seed),
              "héllo ✨");
  }
  EXPECT_EQ(Get(all, "rot13").Convert("Hello", 0), "Uryyb");
  EXPECT_EQ(Get(all, "hex").Convert("hi", 0), "6869");
}

TEST(ConverterTest, FullwidthMapsBack) {
  const auto all = All();
  const std::string out = Get(all, "fullwidth").Convert(kText, 0);
  std::string back;
  for (char32_t cp : DecodeUtf8(out)) {
    ASSERT_TRUE((cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3000)
        << static_cast<uint32_t>(cp);
    back += cp == 0x3000 ? ' ' : static_cast<char>(cp - 0xFEE0);
  }
  EXPECT_EQ(back, kText);
}

TEST(ConverterTest, InvisibleCharactersRemoveToTheInput) {
  const auto all = All();
  const std::string zw = Get(all, "zero-width").Convert(kText, 3);
  EXPECT_GT(DecodeUtf8(zw).size(), kText.size() + 10);  // one per letter gap
  EXPECT_EQ(WithoutCodePoints(zw, {0x200B, 0x200C, 0x200D, 0x2060}), kText);

  const std::string bidi = Get(all, "bidi-reversal").Convert(kText, 0);
  const std::vector<char32_t> cps = DecodeUtf8(bidi);
  ASSERT_GE(cps.size(), 2u);
  EXPECT_EQ(cps.front(), 0x202Eu);
  EXPECT_EQ(cps.back(), 0x202Cu);
  const std::string stored = WithoutCodePoints(bidi, {0x202E, 0x202C});
  EXPECT_EQ(std::string(stored.rbegin(), stored.rend()), kText);
}

TEST(ConverterTest, TagSmugglingDecodesBack) {
  const auto all = All();
  const Converter& tags = Get(all, "tag-smuggling");
  std::set<std::string> visible;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    std::string payload, shown;
    for (char32_t cp : DecodeUtf8(tags.Convert(kText, seed))) {
      if (cp >= 0xE0020 && cp <= 0xE007E) {
        payload += static_cast<char>(cp - 0xE0000);
      } else {
        AppendUtf8(cp, shown);
      }
    }
    EXPECT_EQ(payload, kText);
    EXPECT_EQ(shown.find("world"), std::string::npos);
    visible.insert(shown);
  }
  EXPECT_GT(visible.size(), 1u);  // decoys vary, the empty one included
  EXPECT_TRUE(visible.count(""));
}

TEST(ConverterTest, VariationSelectorsDecodeBack) {
  const auto all = All();
  const Converter& vs = Get(all, "variation-selector");
  for (std::string_view in : {kText, std::string_view("héllo ✨")}) {
    const std::vector<char32_t> cps = DecodeUtf8(vs.Convert(in, 5));
    std::string bytes;
    size_t base = 0;
    for (char32_t cp : cps) {
      if (cp >= 0xFE00 && cp <= 0xFE0F) {
        bytes += static_cast<char>(cp - 0xFE00);
      } else if (cp >= 0xE0100 && cp <= 0xE01EF) {
        bytes += static_cast<char>(cp - 0xE0100 + 16);
      } else {
        ++base;
      }
    }
    EXPECT_EQ(base, 1u);  // one visible base character
    EXPECT_EQ(bytes, in);
  }
}

TEST(ConverterTest, ShapesOfSimpleConverters) {
  const auto all = All();
  EXPECT_EQ(Get(all, "spacing").Convert("node up", 0), "n o d e   u p");
  const std::string p = Get(all, "punctuation").Convert("node", 9);
  ASSERT_EQ(p.size(), 7u);
  EXPECT_NE(std::string(".-_*").find(p[1]), std::string::npos);
  EXPECT_EQ(p[1], p[3]);
  EXPECT_EQ(Get(all, "word-join").Convert(kText, 0), "helloworldexample");
  const std::string split = Get(all, "word-split").Convert(kText, 4);
  EXPECT_GT(split.size(), kText.size());
  std::string joined;
  for (char c : split) {
    if (c != ' ') joined += c;
  }
  EXPECT_EQ(joined, "helloworldexample");
  const std::string sup = Get(all, "superscript").Convert("hi", 0);
  EXPECT_EQ(sup, "ʰⁱ");
  const std::string caps = Get(all, "random-caps").Convert(kText, 1);
  std::string lowered;
  for (char c : caps) lowered += static_cast<char>(std::tolower(c));
  EXPECT_EQ(lowered, kText);
}

TEST(ConverterTest, SynonymReplacesWholeWordsWithinTheirGroup) {
  const auto all = All();
  const Converter& syn = Get(all, "synonym");
  for (uint64_t seed = 0; seed < 16; ++seed) {
    const std::string out = syn.Convert("Hello world, example!", seed);
    EXPECT_TRUE(out.rfind("greetings world, ", 0) == 0 ||
                out.rfind("good day world, ", 0) == 0)
        << out;
    EXPECT_EQ(out.substr(out.size() - 7), "sample!") << out;
  }
  // Not inside other words.
  EXPECT_EQ(syn.Convert("hellos counterexample", 1), "hellos counterexample");
  // A phrase term is matched as a whole, longest first.
  const auto phrase = MakeConverters({{"good day", "hello"}});
  EXPECT_EQ(Get(phrase, "synonym").Convert("a good day", 3), "a hello");
  // No groups: nothing to swap.
  const auto none = MakeConverters({});
  EXPECT_EQ(Get(none, "synonym").Convert(kText, 0), kText);
}

TEST(ConverterTest, ChainsApplyLeftToRightWithDerivedSeeds) {
  const auto all = All();
  auto chain = ParseChain("leetspeak>base64", all);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(ChainName(*chain), "leetspeak>base64");
  const std::string expected =
      Get(all, "base64")
          .Convert(Get(all, "leetspeak").Convert(kText, StepSeed(9, 0)),
                   StepSeed(9, 1));
  EXPECT_EQ(ApplyChain(*chain, kText, 9), expected);
  EXPECT_NE(StepSeed(9, 0), StepSeed(9, 1));

  auto none = ParseChain("none", all);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(ChainName(*none), "none");
  EXPECT_EQ(ApplyChain(*none, kText, 9), kText);
  EXPECT_FALSE(ParseChain("leetspeak>nope", all).ok());
}

TEST(ConverterTest, SelectConverters) {
  const auto all = All();
  auto every = SelectConverters("all", all);
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->size(), all.size());
  auto none = SelectConverters("none", all);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto two = SelectConverters("hex, leetspeak", all);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0]->name(), "hex");
  auto unknown = SelectConverters("leetspeak,l33t", all);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("'l33t'"), std::string::npos);
  EXPECT_FALSE(SelectConverters("hex,hex", all).ok());
  EXPECT_FALSE(SelectConverters("hex,", all).ok());
}

}  // namespace
}  // namespace bulwark::redteam

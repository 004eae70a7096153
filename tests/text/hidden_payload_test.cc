#include "bulwark/text/hidden_payload.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

std::u32string Tags(std::string_view ascii) {
  std::u32string out;
  for (char c : ascii) out.push_back(0xE0000 + static_cast<char32_t>(c));
  return out;
}

// The variation-selector smuggling scheme: one selector per byte.
std::u32string Selectors(std::string_view bytes) {
  std::u32string out;
  for (char b : bytes) {
    const auto v = static_cast<unsigned char>(b);
    out.push_back(v < 16 ? 0xFE00 + v : 0xE0100 + (v - 16));
  }
  return out;
}

// Joins pieces; g++ 12 misreports operator+ on u32strings (-Wrestrict).
std::string Utf8(std::initializer_list<std::u32string_view> pieces) {
  std::u32string out;
  for (std::u32string_view p : pieces) out.append(p);
  return EncodeUtf8(out);
}

// The step over `utf8`: what stays in the text, and the readings it found.
struct Extracted {
  TextRun run;
  std::vector<Decoded> found;
};

Extracted Extract(std::string_view utf8, ChangeLog* changes = nullptr) {
  Extracted e{DecodeUtf8(utf8), {}};
  ExtractHiddenPayloads(e.run, &e.found, changes);
  return e;
}

TEST(HiddenPayloadTest, TagCharactersDecodeIntoTagsView) {
  ChangeLog changes;
  const Extracted e =
      Extract(Utf8({U"hi ", Tags("hello"), U" there"}), &changes);
  EXPECT_EQ(e.run.chars, U"hi  there");
  EXPECT_EQ(e.run.origin[3], (Span{23, 24}));  // the space after the tags
  ASSERT_TRUE(IsOneReading(e.found, "tags", U"hello"));
  const std::vector<Span> want = {
      {3, 7}, {7, 11}, {11, 15}, {15, 19}, {19, 23}};
  EXPECT_EQ(e.found[0].run.origin, want);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].step, "tags");
  EXPECT_EQ(changes[0].original, (Span{3, 23}));
}

TEST(HiddenPayloadTest, LanguageAndCancelTagsCarryNothing) {
  const Extracted e = Extract(
      Utf8({U"a\U000E0001", Tags("hello"), U"\U000E007Fb", Tags("world")}));
  EXPECT_EQ(e.run.chars, U"ab");
  EXPECT_TRUE(IsOneReading(e.found, "tags", U"hello world"));
}

TEST(HiddenPayloadTest, VariationSelectorsDecodeIntoTheirView) {
  // An emoji carrying "hello" in 5 selectors, 4 bytes each from byte 5.
  const Extracted e =
      Extract(Utf8({U"x\U0001F600", Selectors("hello"), U" y"}));
  EXPECT_EQ(e.run.chars, U"x\U0001F600 y");
  ASSERT_TRUE(IsOneReading(e.found, "variation-selectors", U"hello"));
  EXPECT_EQ(e.found[0].run.origin[0], (Span{5, 9}));
  EXPECT_EQ(e.found[0].run.origin[4], (Span{21, 25}));
}

TEST(HiddenPayloadTest, MultiByteCharacterCoversItsSelectors) {
  const Extracted e =
      Extract(Utf8({U"x", Selectors(EncodeUtf8(U"\u00E9t\u00E9"))}));
  ASSERT_TRUE(IsOneReading(e.found, "variation-selectors", U"\u00E9t\u00E9"));
  EXPECT_EQ(e.found[0].run.origin[0], (Span{1, 9}));  // two selectors
}

TEST(HiddenPayloadTest, EmojiPresentationSelectorIsNotAPayload) {
  const Extracted e = Extract(EncodeUtf8(U"\u2764\uFE0F hello"));
  EXPECT_EQ(e.run.chars, U"\u2764\uFE0F hello");  // left to the next step
  EXPECT_TRUE(e.found.empty());
}

TEST(HiddenPayloadTest, RemovedEvenWhenNotDecoding) {
  TextRun run = DecodeUtf8(Utf8({U"hello", Tags("world")}));
  ExtractHiddenPayloads(run, nullptr, nullptr);
  EXPECT_EQ(run.chars, U"hello");
}

TEST(HiddenPayloadTest, SelectorRunSurvivesInterleavedCharacters) {
  // Zero-width characters, combining marks and single separators put
  // between the selectors do not break the run.
  std::u32string text = U"a";
  const std::u32string selectors = Selectors("hello world");
  const std::u32string_view fillers[] = {U"\u200B", U" ", U"\u0301\u0316", U"*",
                                         U"\u200D-"};
  for (size_t i = 0; i < selectors.size(); ++i) {
    text.push_back(selectors[i]);
    if (i + 1 < selectors.size()) text.append(fillers[i % 5]);
  }
  text.append(U" bye");
  const Extracted e = Extract(EncodeUtf8(text));
  EXPECT_EQ(e.run.chars, U"a bye");
  EXPECT_TRUE(IsOneReading(e.found, "variation-selectors", U"hello world"));
}

TEST(HiddenPayloadTest, VisibleLettersBetweenTagsJoinTheTagsView) {
  // A smuggler cannot tag the Cyrillic е or the accented ö: they stay
  // visible between the tagged letters, and belong to the hidden text.
  const Extracted e =
      Extract(Utf8({U"hi", Tags("h"), U"\u0435", Tags("ll"), U"\u00F6",
                    Tags(" w"), Tags("o"), U"\u0301", Tags("rld")}));
  EXPECT_EQ(e.run.chars, U"hi\u0435\u00F6\u0301");
  EXPECT_TRUE(IsOneReading(e.found, "tags", U"h\u0435ll\u00F6 wo\u0301rld"));
}

TEST(HiddenPayloadTest, VisibleLettersBeforeTheTagsGetASecondReading) {
  // They may be the hidden text's first letter or a decoy: "tags" leaves
  // them out, "tags-wide" has them.
  const Extracted e = Extract(Utf8({U"\u0430", Tags("pple")}));
  ASSERT_EQ(e.found.size(), 2u);
  EXPECT_EQ(e.found[0].run.chars, U"pple");
  EXPECT_EQ(std::string(e.found[1].how), "tags-wide");
  EXPECT_EQ(e.found[1].run.chars, U"\u0430pple");
}

}  // namespace
}  // namespace bulwark::text

#include "bulwark/text/encoded.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/text_test_util.h"

namespace bulwark::text {
namespace {

std::vector<Decoded> Find(std::string_view text, ChangeLog* changes = nullptr) {
  std::vector<Decoded> found;
  FindEncoded(DecodeUtf8(text), &found, changes);
  return found;
}

TEST(EncodedTest, Base64PointsAtItsStretch) {
  ChangeLog changes;
  const auto found = Find("say aGVsbG8gd29ybGQ= now", &changes);
  ASSERT_TRUE(IsOneReading(found, "base64", U"hello world"));
  for (const Span& s : found[0].run.origin) EXPECT_EQ(s, (Span{4, 20}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(IsChange(changes[0], "base64", {4, 20},
                       "aGVsbG8gd29ybGQ=", "hello world"));
}

TEST(EncodedTest, UrlSafeBase64) {
  const auto found = Find("aGVsbG8gd29ybGQ_Pz8");
  EXPECT_TRUE(IsOneReading(found, "base64", U"hello world???"));
}

TEST(EncodedTest, SeveralStretchesJoinIntoOneReading) {
  const auto found = Find("aGVsbG8gd29ybGQ= and d29ybGQgaGVsbG8=");
  ASSERT_TRUE(IsOneReading(found, "base64", U"hello world world hello"));
  EXPECT_EQ(found[0].run.origin.back(), (Span{21, 37}));
}

TEST(EncodedTest, WordsAndNoiseAreNotBase64) {
  EXPECT_TRUE(Find("internationalization example").empty());
  EXPECT_TRUE(Find("a short aGVsbG8 run").empty());
}

TEST(EncodedTest, HexForms) {
  for (const char* text :
       {"68656c6c6f20776f726c64",
        "\\x68\\x65\\x6c\\x6c\\x6f\\x20\\x77\\x6f"
        "\\x72\\x6c\\x64",
        "0x68 0x65 0x6c 0x6c 0x6f 0x20 0x77 0x6f 0x72 0x6c 0x64",
        "68 65 6c 6c 6f 20 77 6f 72 6c 64",
        "68:65:6C:6C:6F:20:77:6F:72:6C:64"}) {
    const auto found = Find(text);
    ASSERT_TRUE(IsOneReading(found, "hex", U"hello world")) << text;
    EXPECT_EQ(found[0].run.origin[0],
              (Span{0, static_cast<uint32_t>(std::string(text).size())}));
  }
}

TEST(EncodedTest, HexInsideTextPointsAtItsStretch) {
  const auto found = Find("read 68656c6c6f please");
  ASSERT_TRUE(IsOneReading(found, "hex", U"hello"));
  EXPECT_EQ(found[0].run.origin[0], (Span{5, 15}));
}

TEST(EncodedTest, NumbersAndHexyWordsAreNotHex) {
  EXPECT_TRUE(Find("12345678 and 20202020").empty());
  EXPECT_TRUE(Find("coffee deadbeefcafe").empty());
  EXPECT_TRUE(Find("x68656c6c6f").empty());  // inside a word
}

TEST(EncodedTest, RejectedHexIsNotRetriedPairByPair) {
  // 60 KB of "00 ": linear, and "hello" after the noise is still a
  // separate stretch once a word that is not hex ends the noise.
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "00 ";
  text += "x 68656c6c6f";
  const auto found = Find(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].run.chars, U"hello");
}

TEST(EncodedTest, PercentEncoding) {
  ChangeLog changes;
  const auto found = Find("hello%20world", &changes);
  ASSERT_TRUE(IsOneReading(found, "url", U"hello world"));
  EXPECT_EQ(found[0].run.origin[5], (Span{5, 8}));
  EXPECT_EQ(found[0].run.origin[6], (Span{8, 9}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(IsChange(changes[0], "url", {5, 8}, "%20", " "));
}

TEST(EncodedTest, PercentEncodedUtf8) {
  const auto found = Find("caf%C3%A9");
  ASSERT_TRUE(IsOneReading(found, "url", U"caf\u00E9"));
  EXPECT_EQ(found[0].run.origin[3], (Span{3, 9}));
}

TEST(EncodedTest, NotPercentEncoding) {
  EXPECT_TRUE(Find("100% sure, 50%off").empty());
  EXPECT_TRUE(Find("a%00b").empty());  // a control byte is left as typed
}

TEST(EncodedTest, Rot13) {
  const TextRun run = Rot13(DecodeUtf8("hello, World 12"));
  EXPECT_EQ(run.chars, U"uryyb, Jbeyq 12");
  EXPECT_EQ(run.origin[1], (Span{1, 2}));
}

TEST(EncodedTest, Reversed) {
  const TextRun run = Reversed(RunOf(U"ab\u00E9"));
  EXPECT_EQ(run.chars, U"\u00E9ba");
  const std::vector<Span> want = {{2, 4}, {1, 2}, {0, 1}};
  EXPECT_EQ(run.origin, want);
}

std::vector<Decoded> FindTolerant(std::string_view text) {
  std::vector<Decoded> found;
  FindEncodedTolerant(DecodeUtf8(text), &found, nullptr);
  return found;
}

TEST(EncodedTest, TolerantReadingsOnlyWhenSomethingLooksEncoded) {
  EXPECT_TRUE(FindTolerant("apple banana cherry and a quiet walk").empty());
  // A found stretch is not found again by the other readings.
  const auto found = FindTolerant("aGVsbG8gd29ybGQ=");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(std::string(found[0].how), "base64");
}

TEST(EncodedTest, TolerantReadingsUndoLaterObfuscation) {
  // hex of "hello world" with a space after every digit, then reversed.
  const auto found =
      FindTolerant("4 6 c 6 2 7 f 6 7 7 0 2 f 6 c 6 c 6 5 6 8 6");
  ASSERT_EQ(found.size(), 0u);  // two steps at once are not undone
  const auto spaced =
      FindTolerant("6 8 6 5 6 c 6 c 6 f 2 0 7 7 6 f 7 2 6 c 6 4");
  EXPECT_TRUE(IsOneReading(spaced, "joined>hex", U"hello world"));
  // A word split inside base64, after a decoy word.
  const auto split = FindTolerant("ok: aGVsbG8gd2 9ybGQ=");
  ASSERT_FALSE(split.empty());
  EXPECT_EQ(std::string(split.back().how), "joined>base64");
  EXPECT_EQ(split.back().run.chars, U"hello world");
}

}  // namespace
}  // namespace bulwark::text

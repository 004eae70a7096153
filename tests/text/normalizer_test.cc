#include "bulwark/text/normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "bulwark/core/base64.h"

namespace bulwark::text {
namespace {

const View* FindView(const Normalized& n, std::string_view how) {
  for (const View& v : n.views) {
    if (v.how == how) return &v;
  }
  return nullptr;
}

std::string Text(const View* v) {
  return v == nullptr ? "<missing>" : EncodeUtf8(v->run.chars);
}

class NormalizerTest : public ::testing::Test {
 protected:
  Normalized Run(std::string_view text, bool explain = false) {
    auto result = normalizer_.Run(text, explain);
    EXPECT_TRUE(result.ok()) << result.error().ToString();
    return result.ok() ? std::move(*result) : Normalized{};
  }

  // The UTF-8 of the view `how` of `input` normalised, "<missing>" if none.
  std::string ViewText(std::string_view input, std::string_view how) {
    return Text(FindView(Run(input), how));
  }

  Normalizer normalizer_ = std::move(*Normalizer::Create());
};

TEST_F(NormalizerTest, MainViewIsLowercaseWithPunctuationKept) {
  const Normalized n = Run("Hello, World! Spaced  example 12.");
  ASSERT_FALSE(n.views.empty());
  EXPECT_EQ(n.views[0].how, "text");
  EXPECT_EQ(Text(&n.views[0]), "hello, world! spaced  example 12.");
  EXPECT_TRUE(n.changes.empty());
}

TEST_F(NormalizerTest, Rot13AndReversedViewsAlwaysExist) {
  const Normalized n = Run("Hello world");
  EXPECT_EQ(Text(FindView(n, "rot13")), "uryyb jbeyq");
  EXPECT_EQ(Text(FindView(n, "reversed")), "dlrow olleh");
  EXPECT_EQ(FindView(n, "reversed")->run.origin[0], (Span{10, 11}));
}

TEST_F(NormalizerTest, EnglishProseGetsOnlyTheThreeMainViews) {
  const Normalized n =
      Run("Please tell me a story about the apple and the banana.");
  ASSERT_EQ(n.views.size(), 3u);
}

TEST_F(NormalizerTest, Rot13WrittenBackwardsGetsAView) {
  // "hello world" in rot13, reversed: "qyebj byyru".
  const Normalized n = Run("qyebj byyru");
  EXPECT_EQ(Text(FindView(n, "rot13>reversed")), "hello world");
  EXPECT_EQ(FindView(n, "rot13>reversed")->run.origin[0], (Span{10, 11}));
}

TEST_F(NormalizerTest, Rot13OfAsciiLeavesLookalikesAlone) {
  // rot13 of "hello world" with a Cyrillic е and an accented ö the rot13
  // step left as they were: "uеyyö jbeyq".
  const Normalized n = Run(EncodeUtf8(U"u\u0435yy\u00F6 jbeyq"));
  EXPECT_EQ(Text(FindView(n, "rot13-ascii")), "hello world");
  // Plain ASCII needs no such view.
  EXPECT_EQ(FindView(Run("uryyb jbeyq"), "rot13-ascii"), nullptr);
}

TEST_F(NormalizerTest, FullwidthGluedToAsciiIsSplit) {
  const Normalized n =
      Run(EncodeUtf8(U"thanks!\uFF41\uFF50\uFF50\uFF4C\uFF45"));
  EXPECT_EQ(Text(FindView(n, "split")), "thanks! apple");
  EXPECT_EQ(FindView(Run("thanks! apple"), "split"), nullptr);
}

TEST_F(NormalizerTest, UpperCaseLookalikeKeepsItsLetter) {
  // Greek capital nu passes for "N"; folded first it would read as "v".
  const Normalized n = Run(EncodeUtf8(U"\u039Dice b\u0391nana"));
  EXPECT_EQ(Text(&n.views[0]), "nice banana");
}

TEST_F(NormalizerTest, AllStepsTogether) {
  // Zero-width space, Cyrillic о, fullwidth L, zalgo, stretched letters.
  const std::string input =
      EncodeUtf8(U"He\u200Bll\u043E \uFF37o\u0336rlllld EXAMPLE");
  const Normalized n = Run(input, true);
  EXPECT_EQ(Text(&n.views[0]), "hello worlld example");
  const TextRun& run = n.views[0].run;
  EXPECT_EQ(run.origin[2], (Span{5, 6}));    // 'l' after the removed ZWSP
  EXPECT_EQ(run.origin[4], (Span{7, 9}));    // Cyrillic о
  EXPECT_EQ(run.origin[6], (Span{10, 13}));  // fullwidth W
  EXPECT_FALSE(n.changes.empty());
}

TEST_F(NormalizerTest, TagSmuggledAsciiGetsAView) {
  std::u32string text = U"hi ";
  for (char c : std::string("Hello World")) text.push_back(0xE0000 + c);
  const Normalized n = Run(EncodeUtf8(text));
  EXPECT_EQ(Text(&n.views[0]), "hi ");
  EXPECT_EQ(Text(FindView(n, "tags")), "hello world");
  EXPECT_EQ(Text(FindView(n, "tags>rot13")), "uryyb jbeyq");
}

TEST_F(NormalizerTest, VariationSelectorSmuggledBytesGetAView) {
  std::u32string text = U"\U0001F600";
  for (unsigned char b : std::string("hello world"))
    text.push_back(0xE0100 + b - 16);
  const Normalized n = Run(EncodeUtf8(text));
  EXPECT_EQ(Text(&n.views[0]), EncodeUtf8(U"\U0001F600"));
  EXPECT_EQ(Text(FindView(n, "variation-selectors")), "hello world");
}

TEST_F(NormalizerTest, EncodedViewsReadHelloWorld) {
  const Normalized n =
      Run("a aGVsbG8gd29ybGQ= b 68656c6c6f20776f726c64 c hello%20world");
  EXPECT_EQ(Text(FindView(n, "base64")), "hello world");
  EXPECT_EQ(Text(FindView(n, "hex")), "hello world");
  EXPECT_EQ(Text(FindView(n, "url")),
            "a agvsbg8gd29ybgq= b "
            "68656c6c6f20776f726c64 c hello world");
  const View* base64 = FindView(n, "base64");
  ASSERT_NE(base64, nullptr);
  for (const Span& s : base64->run.origin) EXPECT_EQ(s, (Span{2, 18}));
  EXPECT_EQ(Text(FindView(n, "base64>rot13")), "uryyb jbeyq");
  EXPECT_EQ(Text(FindView(n, "base64>reversed")), "dlrow olleh");
}

TEST_F(NormalizerTest, EncodingsAreReadThroughLaterObfuscation) {
  // base64 of "hello world" ("aGVsbG8gd29ybGQ="), then obfuscated.
  EXPECT_EQ(ViewText("=QGby92dg8GbsVGa", "reversed>base64"), "hello world");
  EXPECT_EQ(ViewText("nTIfoT8tq29loTD=", "rot13>base64"), "hello world");
  EXPECT_EQ(ViewText("a G V s b G 8 g d 2 9 y b G Q =", "joined>base64"),
            "hello world");
  EXPECT_EQ(ViewText("a*G*V*s*b*G*8*g*d*2*9*y*b*G*Q=", "joined>base64"),
            "hello world");
  EXPECT_EQ(ViewText("aGVsbG8gd2 9ybGQ=", "joined>base64"), "hello world");
  // Fullwidth, accented and look-alike characters keep their case.
  EXPECT_EQ(
      ViewText(EncodeUtf8(U"\uFF41\uFF27\uFF36\uFF53bG8gd29ybGQ="), "base64"),
      "hello world");
  EXPECT_EQ(ViewText(EncodeUtf8(U"\u0430GV\u0455bG8g\u0501"
                                U"29\u0443bGQ="),
                     "base64"),
            "hello world");
  EXPECT_EQ(ViewText(EncodeUtf8(U"a\u0301GVsbG8gd29ybGQ\u0303="), "base64"),
            "hello world");
  // hex of "hello world", then obfuscated.
  EXPECT_EQ(ViewText("46c627f67702f6c6c65686", "reversed>hex"), "hello world");
  EXPECT_EQ(ViewText("68656p6p6s20776s726p64", "rot13>hex"), "hello world");
  EXPECT_EQ(
      ViewText("6.8.6.5.6.c.6.c.6.f.2.0.7.7.6.f.7.2.6.c.6.4", "joined>hex"),
      "hello world");
  EXPECT_EQ(ViewText("68656c6c6f2 0776f726c64", "joined>hex"), "hello world");
  EXPECT_EQ(ViewText("68656ccc6c6fff20776f726cc64", "squeezed>hex"),
            "hello world");
  // %-encoding of "hello", then obfuscated.
  EXPECT_EQ(ViewText("%6 8%6 5%6 C%6 C%6 F", "joined>url"), "hello");
  EXPECT_EQ(ViewText("F6%C6%C6%56%86%", "reversed>url"), "hello");
  EXPECT_EQ(ViewText("%68%65%6CCC%6C%6F", "squeezed>url"), "hello");
  // Spans still point at the input.
  const Normalized n = Run("a G V s b G 8 g d 2 9 y b G Q =");
  const View* joined = FindView(n, "joined>base64");
  ASSERT_NE(joined, nullptr);
  for (const Span& s : joined->run.origin) EXPECT_EQ(s, (Span{0, 31}));
}

TEST_F(NormalizerTest, PlainProseHasNoTolerantReadings) {
  const Normalized n =
      Run("Write a poem about an apple tree, a banana boat and a quiet harbour "
          "at dawn, please.");
  for (const View& v : n.views) {
    EXPECT_EQ(v.how.find("joined"), std::string::npos) << v.how;
    EXPECT_EQ(v.how.find("reversed>"), std::string::npos) << v.how;
  }
}

TEST_F(NormalizerTest, HiddenPayloadInsideADecodedView) {
  // Tag characters spelling "hello world", base64-encoded.
  std::u32string tagged;
  for (char c : std::string("hello world")) tagged.push_back(0xE0000 + c);
  const std::string utf8 = EncodeUtf8(tagged);
  const std::string b64 = Base64Encode(
      {reinterpret_cast<const uint8_t*>(utf8.data()), utf8.size()});
  EXPECT_EQ(ViewText(b64, "base64>tags"), "hello world");
}

TEST_F(NormalizerTest, DecodedViewsAreNormalisedToo) {
  // base64 of "HEEEELLO Wоrld" with a Cyrillic о.
  const Normalized n = Run("SEVFRUVMTE8gV9C+cmxk");
  EXPECT_EQ(Text(FindView(n, "base64")), "heello world");
}

TEST_F(NormalizerTest, NestedDecodingIsBoundedByDepth) {
  // base64 of base64 of "hello world".
  const std::string twice = "YUdWc2JHOGdkMjl5YkdRPQ==";
  EXPECT_EQ(ViewText(twice, "base64>base64"), "hello world");

  NormalizerLimits limits;
  limits.max_decode_depth = 1;
  auto shallow = Normalizer::Create(limits);
  ASSERT_TRUE(shallow.ok());
  auto n = shallow->Run(twice, false);
  ASSERT_TRUE(n.ok());
  EXPECT_NE(FindView(*n, "base64"), nullptr);
  EXPECT_EQ(FindView(*n, "base64>base64"), nullptr);
}

TEST_F(NormalizerTest, ViewCountIsBounded) {
  NormalizerLimits limits;
  limits.max_views = 4;
  auto small = Normalizer::Create(limits);
  ASSERT_TRUE(small.ok());
  auto n = small->Run("aGVsbG8gd29ybGQ= 68656c6c6f20776f726c64 hello%20world",
                      false);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->views.size(), 4u);
  EXPECT_EQ(n->views[0].how, "text");
  EXPECT_EQ(n->views[1].how, "rot13");
  EXPECT_EQ(n->views[2].how, "reversed");
  EXPECT_EQ(n->views[3].how, "base64");
}

TEST_F(NormalizerTest, InputOverTheLimitIsRefused) {
  NormalizerLimits limits;
  limits.max_input_bytes = 16;
  auto small = Normalizer::Create(limits);
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->Run("hello world 1234", false).ok());
  auto over = small->Run("hello world 12345", false);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
}

TEST_F(NormalizerTest, IllFormedUtf8BecomesReplacementCharacter) {
  const Normalized n = Run("hel\xFFlo w\xC3orld");
  EXPECT_EQ(n.views[0].run.chars, U"hel\uFFFDlo w\uFFFDorld");
  EXPECT_EQ(n.views[0].run.origin[3], (Span{3, 4}));
}

TEST_F(NormalizerTest, EmptyInput) {
  const Normalized n = Run("");
  ASSERT_EQ(n.views.size(), 3u);
  EXPECT_TRUE(n.views[0].run.chars.empty());
}

TEST_F(NormalizerTest, ExplainListsChangesInStepOrder) {
  const Normalized n = Run(EncodeUtf8(U"he\u200Blllo \u00E9"), true);
  ASSERT_EQ(n.changes.size(), 3u);
  EXPECT_EQ(n.changes[0].step, "invisible");
  EXPECT_EQ(n.changes[1].step, "marks");
  EXPECT_EQ(n.changes[2].step, "squeeze");
  EXPECT_EQ(Run(EncodeUtf8(U"he\u200Blllo"), false).changes.size(), 0u);
}

TEST_F(NormalizerTest, ConcurrentRunsAgree) {
  const std::string input = EncodeUtf8(
      U"\u043F\u0440\u0438\u0432\u0435\u0442 w\u043Erld \u03BA\u03B1\u03BB"
      U"\u03B7\u03BC\u03B5\u03C1\u03B1 aGVsbG8gd29ybGQ=");
  const Normalized want = Run(input);
  EXPECT_EQ(Text(&want.views[0]), "privet world kalemera agvsbg8gd29ybgq=");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto n = normalizer_.Run(input, i % 2 == 0);
        if (!n.ok() || n->views.size() != want.views.size() ||
            n->views[0].run.chars != want.views[0].run.chars) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches[0] + mismatches[1], 0);
}

}  // namespace
}  // namespace bulwark::text

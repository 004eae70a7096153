#include "bulwark/redteam/templates.h"

#include <gtest/gtest.h>

namespace bulwark::redteam {
namespace {

using Prompts = std::vector<std::string>;

Prompts Expand(std::string_view text) {
  auto r = ExpandTemplates(text);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : Prompts{};
}

void ExpectError(std::string_view text, const std::string& needle,
                 ErrorCode code = ErrorCode::kInvalidArgument) {
  auto r = ExpandTemplates(text, 100);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error().code, code);
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message;
}

TEST(TemplatesTest, CommentsBlankLinesAndPlainLines) {
  EXPECT_EQ(Expand("# a comment\n\n  hello world  \r\n\t\nexample phrase"),
            (Prompts{"hello world", "example phrase"}));
  EXPECT_EQ(Expand(""), Prompts{});
}

TEST(TemplatesTest, CartesianProductFirstSlotSlowest) {
  const char* text =
      "@greeting = hello | hi there\n"
      "@thing = example phrase|sample text | note\n"
      "{greeting}, repeat the {thing}\n";
  EXPECT_EQ(Expand(text), (Prompts{
                              "hello, repeat the example phrase",
                              "hello, repeat the sample text",
                              "hello, repeat the note",
                              "hi there, repeat the example phrase",
                              "hi there, repeat the sample text",
                              "hi there, repeat the note",
                          }));
}

TEST(TemplatesTest, RepeatedSlotTakesOneTerm) {
  EXPECT_EQ(Expand("@w = a | b\n@x_y = c\n{w} and {w}{x_y}\n"),
            (Prompts{"a and ac", "b and bc"}));
}

TEST(TemplatesTest, ErrorsNameTheLine) {
  ExpectError("hello\n\n{missing} world\n", "line 3: slot {missing}");
  ExpectError("@w = a\n{w}\n@w a | b\n", "line 3");
  ExpectError("@ = a\n", "line 1");
  ExpectError("@bad name = a\n", "line 1");
  ExpectError("@Caps = a\n", "line 1");
  ExpectError("@ w = a\n", "line 1");
  ExpectError("@w = a\n@w = b\n", "line 2: slot 'w' is defined twice");
  ExpectError("@w = a | {b}\n", "holds a brace");
  ExpectError("@w = a\n{w} {not a slot}\n", "line 2: bad placeholder");
  ExpectError("@w = a\n{w} {}\n", "bad placeholder '{}'");
  ExpectError("a } b\n", "line 1: unbalanced brace");
  ExpectError("a {w\n", "line 1: unbalanced brace");
  ExpectError("a {{w}}\n", "line 1: unbalanced brace");
  ExpectError("@w = a || b\n", "empty term");
  ExpectError("@w = \n", "empty term");
  ExpectError("ok\n\xff\xfe\n", "line 2: the text is not UTF-8");
  ExpectError(
      "@a = 1|2|3|4|5|6|7|8|9|10\n@b = 1|2|3|4|5|6|7|8|9|10|11\n{a}{b}\n",
      "more than 100", ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark::redteam

// Base64 and data URIs: the RFC 4648 vectors, the forms clients send
// (unpadded, URL-safe, line-wrapped), and rejection of everything else,
// with the size limit checked before decoding.
#include "bulwark/core/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

std::string Decoded(std::string_view text, size_t max = 1 << 20) {
  auto r = Base64Decode(text, max);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().ToString();
  return r.ok() ? std::string(r->begin(), r->end()) : "<error>";
}

void ExpectBad(std::string_view text, const std::string& needle) {
  auto r = Base64Decode(text, 1 << 20);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message;
}

struct Vector {
  const char* plain;
  const char* encoded;
};
// RFC 4648 section 10.
constexpr Vector kRfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64, Rfc4648Vectors) {
  for (const Vector& v : kRfc4648) {
    EXPECT_EQ(Base64Encode(Bytes(v.plain)), v.encoded);
    EXPECT_EQ(Decoded(v.encoded), v.plain);
  }
}

TEST(Base64, UnpaddedForms) {
  EXPECT_EQ(Decoded("Zg"), "f");
  EXPECT_EQ(Decoded("Zm8"), "fo");
  EXPECT_EQ(Decoded("Zm9vYmE"), "fooba");
}

TEST(Base64, AllByteValuesRoundTrip) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  for (size_t n = 0; n <= all.size(); n += 37) {
    std::vector<uint8_t> part(all.begin(), all.begin() + n);
    auto r = Base64Decode(Base64Encode(part), n);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, part);
  }
}

TEST(Base64, UrlSafeAlphabet) {
  const std::vector<uint8_t> bytes = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  auto std_form = Base64Decode("+/+/", 3);
  auto url_form = Base64Decode("-_-_", 3);
  ASSERT_TRUE(std_form.ok() && url_form.ok());
  EXPECT_EQ(*std_form, bytes);
  EXPECT_EQ(*url_form, bytes);
}

TEST(Base64, IgnoresWhitespace) {
  EXPECT_EQ(Decoded("Zm9v\r\nYmFy\n"), "foobar");
  EXPECT_EQ(Decoded(" Zm9v YmE=\t"), "fooba");
  EXPECT_EQ(Decoded("Zg=\n="), "f");
  EXPECT_EQ(Decoded("  \n"), "");
}

TEST(Base64, RejectsBadCharactersNamingPosition) {
  ExpectBad("Zm9v*mFy", "not a base64 character at position 4");
  ExpectBad("Zm9v.", "position 4");
  ExpectBad("Zm9v\x80", "position 4");
  ExpectBad(std::string_view("Zm\0v", 4), "position 2");
}

TEST(Base64, RejectsMisplacedPadding) {
  ExpectBad("=Zm9", "padding '=' before any data at position 0");
  ExpectBad("Zg==Zg==", "data after padding '=' at position 4");
  ExpectBad("Zg===", "more than two padding");
  ExpectBad("Zm8==", "wrong amount of padding");
  ExpectBad("Zg=", "wrong amount of padding");
  ExpectBad("Zm9vY", "incomplete final group");
  ExpectBad("Zm9vY===", "more than two padding");
}

TEST(Base64, LimitCheckedOnDecodedSize) {
  auto ok = Base64Decode("Zm9vYmFy", 6);
  ASSERT_TRUE(ok.ok());
  auto over = Base64Decode("Zm9vYmFy", 5);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(over.error().message.find("6 bytes"), std::string::npos);
  // Whitespace and padding do not count towards the size.
  EXPECT_TRUE(Base64Decode("Zm9v\n\n\n\n\nYg==", 4).ok());
  EXPECT_FALSE(Base64Decode("Zm9vYg==", 3).ok());
}

TEST(Base64, LargeInputOverLimitIsRefusedBeforeDecoding) {
  const std::string big(40 << 20, 'A');  // would be 30 MiB
  auto r = Base64Decode(big, 20 << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(Base64DataUri, ParsesBase64) {
  auto r = ParseDataUri("data:image/PNG;base64,Zm9vYmFy", 100);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->media_type, "image/png");
  EXPECT_EQ(r->bytes, Bytes("foobar"));
}

TEST(Base64DataUri, ParametersAndMissingType) {
  auto r = ParseDataUri("DATA:image/jpeg;name=x.jpg;BASE64,Zg", 100);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->media_type, "image/jpeg");
  EXPECT_EQ(r->bytes, Bytes("f"));

  auto bare = ParseDataUri("data:;base64,Zm8=", 100);
  ASSERT_TRUE(bare.ok()) << bare.error().ToString();
  EXPECT_EQ(bare->media_type, "");
  EXPECT_EQ(bare->bytes, Bytes("fo"));
}

TEST(Base64DataUri, NonBase64IsUnsupported) {
  for (const char* uri : {"data:,hello", "data:text/plain,hello%20world",
                          "data:text/plain;charset=utf-8,hi"}) {
    auto r = ParseDataUri(uri, 100);
    ASSERT_FALSE(r.ok()) << uri;
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported) << uri;
    EXPECT_NE(r.error().message.find("not base64"), std::string::npos);
  }
}

TEST(Base64DataUri, MalformedIsInvalid) {
  for (const char* uri : {"http://x/y.png", "dat", "data:image/png;base64"}) {
    auto r = ParseDataUri(uri, 100);
    ASSERT_FALSE(r.ok()) << uri;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << uri;
  }
  // Positions count from the start of the URI.
  auto bad = ParseDataUri("data:image/png;base64,Zm9v!", 100);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("position 26"), std::string::npos)
      << bad.error().message;
}

TEST(Base64DataUri, LimitApplies) {
  auto r = ParseDataUri("data:image/png;base64,Zm9vYmFy", 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark

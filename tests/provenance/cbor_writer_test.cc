#include "bulwark/provenance/cbor_writer.h"

#include <gtest/gtest.h>

#include <limits>

#include "bulwark/core/hex.h"

namespace bulwark::provenance {
namespace {

std::string Hex(const CborValue& v) {
  auto bytes = EncodeCbor(v);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? HexEncode(*bytes) : "";
}

// RFC 8949 §4.2.1: every integer and length takes the shortest head.
TEST(CborWriter, UsesTheShortestHeadForEveryArgument) {
  EXPECT_EQ(Hex(CborValue::Uint(0)), "00");
  EXPECT_EQ(Hex(CborValue::Uint(23)), "17");
  EXPECT_EQ(Hex(CborValue::Uint(24)), "1818");
  EXPECT_EQ(Hex(CborValue::Uint(255)), "18ff");
  EXPECT_EQ(Hex(CborValue::Uint(256)), "190100");
  EXPECT_EQ(Hex(CborValue::Uint(65535)), "19ffff");
  EXPECT_EQ(Hex(CborValue::Uint(65536)), "1a00010000");
  EXPECT_EQ(Hex(CborValue::Uint(0xffffffff)), "1affffffff");
  EXPECT_EQ(Hex(CborValue::Uint(0x100000000)), "1b0000000100000000");
}

TEST(CborWriter, EncodesNegativeIntegersAsMajorTypeOne) {
  EXPECT_EQ(Hex(CborValue::Int(-1)), "20");
  EXPECT_EQ(Hex(CborValue::Int(-7)), "26");  // COSE ES256
  EXPECT_EQ(Hex(CborValue::Int(-37)), "3824");
  EXPECT_EQ(Hex(CborValue::Int(std::numeric_limits<int64_t>::min())),
            "3b7fffffffffffffff");
  EXPECT_EQ(Hex(CborValue::Int(33)), "1821");
}

TEST(CborWriter, EncodesStringsNullTagsAndArrays) {
  EXPECT_EQ(Hex(CborValue::Text("IETF")), "6449455446");
  const uint8_t bytes[] = {1, 2, 3, 4};
  EXPECT_EQ(Hex(CborValue::Bytes(bytes)), "4401020304");
  EXPECT_EQ(Hex(CborValue::Bytes({})), "40");
  EXPECT_EQ(Hex(CborValue::MakeNull()), "f6");
  EXPECT_EQ(Hex(CborValue::Tag(18, CborValue::MakeArray({}))), "d280");
  // A 24-character text needs a two-byte head.
  EXPECT_EQ(Hex(CborValue::Text(std::string(24, 'a'))).substr(0, 4), "7818");
}

// RFC 8949 Appendix A: {"a": 1, "b": [2, 3]}.
TEST(CborWriter, MatchesTheRfcExampleMap) {
  EXPECT_EQ(
      Hex(CborValue::MakeMap(
          {{CborValue::Text("b"),
            CborValue::MakeArray({CborValue::Uint(2), CborValue::Uint(3)})},
           {CborValue::Text("a"), CborValue::Uint(1)}})),
      "a26161016162820203");
}

// Keys sort by their encoded bytes: shorter heads first, then bytewise, so
// integers precede negative integers precede texts, and "b" precedes "aa".
TEST(CborWriter, SortsMapKeysByTheirEncodedBytes) {
  EXPECT_EQ(Hex(CborValue::MakeMap({
                {CborValue::Text("aa"), CborValue::Uint(5)},
                {CborValue::Text("b"), CborValue::Uint(4)},
                {CborValue::Text("a"), CborValue::Uint(3)},
                {CborValue::Int(-1), CborValue::Uint(2)},
                {CborValue::Uint(10), CborValue::Uint(1)},
            })),
            "a5"
            "0a01"
            "2002"
            "616103"
            "616204"
            "62616105");
}

TEST(CborWriter, SortsNestedMapsToo) {
  const std::string a = Hex(CborValue::MakeArray(
      {CborValue::MakeMap({{CborValue::Text("z"), CborValue::Uint(1)},
                           {CborValue::Text("y"), CborValue::Uint(2)}})}));
  EXPECT_EQ(a, "81a2617902617a01");
}

TEST(CborWriter, RejectsDuplicateMapKeys) {
  auto r = EncodeCbor(
      CborValue::MakeMap({{CborValue::Text("k"), CborValue::Uint(1)},
                          {CborValue::Text("k"), CborValue::Uint(2)}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(CborWriter, LongByteStringsGetALengthHeadOfTheirOwnSize) {
  const std::vector<uint8_t> bytes(300, 0xab);
  EXPECT_EQ(Hex(CborValue::Bytes(bytes)).substr(0, 8), "59012cab");
  EXPECT_EQ(Hex(CborValue::Bytes(bytes)).size(), 2 * (3 + 300));
}

}  // namespace
}  // namespace bulwark::provenance

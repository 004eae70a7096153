#include "bulwark/provenance/cbor_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace bulwark::provenance {
namespace {

using Bytes = std::vector<uint8_t>;
using Type = CborItem::Type;

Result<CborItem> Read(const Bytes& bytes, const CborLimits& limits = {}) {
  return ReadCbor(bytes, limits);
}

// RFC 8949 Appendix A examples.
TEST(CborReader, ReadsIntegersOfEveryWidth) {
  struct Case {
    Bytes bytes;
    Type type;
    uint64_t value;
  };
  const Case cases[] = {
      {{0x00}, Type::kUnsigned, 0},
      {{0x17}, Type::kUnsigned, 23},
      {{0x18, 0x18}, Type::kUnsigned, 24},
      {{0x19, 0x03, 0xe8}, Type::kUnsigned, 1000},
      {{0x1a, 0x00, 0x0f, 0x42, 0x40}, Type::kUnsigned, 1000000},
      {{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
       Type::kUnsigned,
       UINT64_MAX},
      {{0x20}, Type::kNegative, 0},                // -1
      {{0x39, 0x03, 0xe7}, Type::kNegative, 999},  // -1000
  };
  for (const Case& c : cases) {
    auto item = Read(c.bytes);
    ASSERT_TRUE(item.ok()) << item.error().message;
    EXPECT_EQ(item->type, c.type);
    EXPECT_EQ(item->value, c.value);
  }
}

TEST(CborReader, StringsAreViewsIntoTheInput) {
  const Bytes bytes = {0x64, 'I', 'E', 'T', 'F'};
  auto text = Read(bytes);
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text->IsText());
  EXPECT_EQ(text->text(), "IETF");
  EXPECT_EQ(text->bytes.data(), bytes.data() + 1);

  const Bytes blob_bytes = {0x44, 1, 2, 3, 4};
  auto blob = Read(blob_bytes);
  ASSERT_TRUE(blob.ok());
  EXPECT_TRUE(blob->IsBytes());
  EXPECT_EQ(Bytes(blob->bytes.begin(), blob->bytes.end()), (Bytes{1, 2, 3, 4}));
}

TEST(CborReader, ReadsNestedArraysMapsAndTags) {
  // 18([{"a": 1, -7: [2, 3]}, null, true, 1.5])
  const Bytes bytes = {0xd2, 0x84, 0xa2, 0x61, 'a',  0x01, 0x26, 0x82,
                       0x02, 0x03, 0xf6, 0xf5, 0xf9, 0x3e, 0x00};
  auto item = Read(bytes);
  ASSERT_TRUE(item.ok()) << item.error().message;
  ASSERT_EQ(item->type, Type::kTag);
  EXPECT_EQ(item->value, 18u);
  const CborItem& array = item->children[0];
  ASSERT_TRUE(array.IsArray());
  ASSERT_EQ(array.children.size(), 4u);
  const CborItem& map = array.children[0];
  ASSERT_TRUE(map.IsMap());
  ASSERT_NE(map.Find("a"), nullptr);
  EXPECT_EQ(map.Find("a")->value, 1u);
  ASSERT_NE(map.Find(int64_t{-7}), nullptr);
  EXPECT_EQ(map.Find(int64_t{-7})->children.size(), 2u);
  EXPECT_EQ(map.Find("b"), nullptr);
  EXPECT_EQ(map.Find(int64_t{7}), nullptr);
  EXPECT_TRUE(array.children[1].IsNull());
  EXPECT_EQ(array.children[2].type, Type::kSimple);
  EXPECT_EQ(array.children[2].value, 21u);
  EXPECT_EQ(array.children[3].type, Type::kFloat);
  EXPECT_EQ(array.children[3].value, 0x3e00u);
}

TEST(CborReader, TextAtIgnoresMissingAndNonTextMembers) {
  const Bytes bytes = {0xa2, 0x61, 'n', 0x62, 'h', 'i', 0x61, 'v', 0x01};
  auto map = Read(bytes);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->TextAt("n"), "hi");
  EXPECT_EQ(map->TextAt("v"), "");
  EXPECT_EQ(map->TextAt("x"), "");
}

TEST(CborReader, RejectsTruncatedAndTrailingInput) {
  EXPECT_FALSE(Read({}).ok());
  EXPECT_FALSE(Read({0x19, 0x03}).ok());  // header cut short
  EXPECT_FALSE(Read({0x82, 0x01}).ok());  // one of two elements
  auto trailing = Read({0x01, 0x02});
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.error().message,
            "CBOR has 1 unexpected bytes after the item");
}

TEST(CborReader, DeclaredLengthsBeyondTheInputAreErrorsNotAllocations) {
  // A byte string, an array and a map each claiming ~4 billion entries in a
  // few bytes of input.
  auto string = Read({0x5a, 0xff, 0xff, 0xff, 0xff, 0x00});
  ASSERT_FALSE(string.ok());
  EXPECT_EQ(string.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(string.error().message,
            "CBOR string at offset 0 declares 4294967295 bytes but only 1 "
            "remain");
  auto array = Read({0x9a, 0xff, 0xff, 0xff, 0xff, 0x00});
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.error().code, ErrorCode::kCorrupt);
  auto map = Read({0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00});
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().code, ErrorCode::kCorrupt);
}

TEST(CborReader, DepthAndItemCountAreCapped) {
  Bytes deep(5000, 0x81);  // [[[[...
  deep.push_back(0x00);
  auto nested = Read(deep);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code, ErrorCode::kLimitExceeded);

  Bytes wide = {0x99, 0x03, 0xe8};  // an array of 1000 zeros
  wide.resize(wide.size() + 1000, 0x00);
  EXPECT_TRUE(Read(wide).ok());
  auto capped = Read(wide, CborLimits{.max_depth = 4, .max_items = 100});
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().code, ErrorCode::kLimitExceeded);
}

TEST(CborReader, RejectsIndefiniteLengthsAsC2paRequiresDeterministicCbor) {
  auto indefinite = Read({0x9f, 0x01, 0xff});
  ASSERT_FALSE(indefinite.ok());
  EXPECT_NE(indefinite.error().message.find("indefinite-length"),
            std::string::npos);
  EXPECT_FALSE(Read({0x1c}).ok());  // reserved additional information
}

}  // namespace
}  // namespace bulwark::provenance

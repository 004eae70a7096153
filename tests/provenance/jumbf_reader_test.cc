#include "bulwark/provenance/jumbf_reader.h"

#include <gtest/gtest.h>

#include "support/jumbf_test_boxes.h"

namespace bulwark::provenance {
namespace {

using testing::BoxBytes;
using testing::Bytes;
using testing::DescriptionBytes;
using testing::SuperboxBytes;

TEST(JumbfReader, ReadsNestedSuperboxesLabelsAndContentBoxes) {
  const Bytes cbor = BoxBytes("cbor", {0xa0});
  const Bytes assertion = SuperboxBytes("cbor", "c2pa.actions.v2", {cbor});
  const Bytes store = SuperboxBytes(
      "c2pa", "c2pa",
      {SuperboxBytes("c2ma", "urn:c2pa:1",
                     {SuperboxBytes("c2as", "c2pa.assertions", {assertion})})});
  auto root = ReadJumbf(store);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->ContentTypeName(), "c2pa");
  EXPECT_EQ(root->label, "c2pa");
  ASSERT_EQ(root->children.size(), 1u);
  const JumbfSuperbox* manifest = root->Child("urn:c2pa:1");
  ASSERT_NE(manifest, nullptr);
  EXPECT_EQ(manifest->ContentTypeName(), "c2ma");
  const JumbfSuperbox* assertions = manifest->Child("c2pa.assertions");
  ASSERT_NE(assertions, nullptr);
  ASSERT_EQ(assertions->children.size(), 1u);
  const JumbfSuperbox& actions = assertions->children[0];
  EXPECT_EQ(actions.label, "c2pa.actions.v2");
  ASSERT_EQ(actions.boxes.size(), 1u);
  EXPECT_EQ(actions.boxes[0].type, "cbor");
  ASSERT_EQ(actions.boxes[0].payload.size(), 1u);
  EXPECT_EQ(actions.boxes[0].payload[0], 0xa0);
  // `contents` is the superbox minus its 8-byte header: the bytes a C2PA
  // hashed URI covers.
  EXPECT_EQ(Bytes(actions.contents.begin(), actions.contents.end()),
            Bytes(assertion.begin() + 8, assertion.end()));
  EXPECT_EQ(actions.offset,
            static_cast<size_t>(actions.contents.data() - store.data() - 8));
  EXPECT_EQ(manifest->Child("nothing"), nullptr);
}

TEST(JumbfReader, ReadsExtendedAndToTheEndLengths) {
  Bytes store = SuperboxBytes("c2pa", "c2pa", {});
  // A content box with LBox = 1 and a 64-bit XLBox of 17 bytes.
  const Bytes extended = {0, 0, 0, 1, 'c', 'b', 'o', 'r', 0,
                          0, 0, 0, 0, 0,   0,   17,  0xf6};
  // A last content box with LBox = 0: "to the end of the superbox".
  const Bytes to_end = {0, 0, 0, 0, 'j', 's', 'o', 'n', '{', '}'};
  store.insert(store.end(), extended.begin(), extended.end());
  store.insert(store.end(), to_end.begin(), to_end.end());
  const uint32_t size = static_cast<uint32_t>(store.size());
  store[0] = size >> 24, store[1] = size >> 16, store[2] = size >> 8,
  store[3] = size;
  auto root = ReadJumbf(store);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->boxes.size(), 2u);
  EXPECT_EQ(root->boxes[0].type, "cbor");
  EXPECT_EQ(root->boxes[0].payload.size(), 1u);
  EXPECT_EQ(root->boxes[1].type, "json");
  EXPECT_EQ(root->boxes[1].payload.size(), 2u);
}

TEST(JumbfReader, SkipsTheDescriptionsPrivateSaltBox) {
  // C2PA assertions carry a 'c2sh' salt box inside the description.
  Bytes description = DescriptionBytes("cbor", "c2pa.hash.data");
  description[8 + 16] |= 0x10;  // toggles: private box present
  const Bytes salt = BoxBytes("c2sh", Bytes(16, 0x5a));
  description.insert(description.end(), salt.begin(), salt.end());
  const uint32_t size = static_cast<uint32_t>(description.size());
  description[2] = size >> 8, description[3] = size & 0xff;
  Bytes payload = description;
  const Bytes cbor = BoxBytes("cbor", {0xa0});
  payload.insert(payload.end(), cbor.begin(), cbor.end());
  auto root = ReadJumbf(BoxBytes("jumb", payload));
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->label, "c2pa.hash.data");
  ASSERT_EQ(root->boxes.size(), 1u);
  EXPECT_EQ(root->boxes[0].type, "cbor");
}

TEST(JumbfReader, NamesTheBoxThatDeclaresMoreThanRemains) {
  Bytes store = SuperboxBytes("c2pa", "c2pa", {});
  store[8] = store[9] = store[10] = store[11] = 0xff;  // the jumd's LBox
  auto root = ReadJumbf(store);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(root.error().message,
            "JUMBF box 'jumd' at offset 8 declares 4294967295 bytes but only " +
                std::to_string(store.size() - 8) + " remain");
}

TEST(JumbfReader, RejectsMalformedFraming) {
  const Bytes good = SuperboxBytes("c2pa", "c2pa", {});
  // A superbox that does not start with a description.
  EXPECT_FALSE(ReadJumbf(BoxBytes("jumb", BoxBytes("cbor", {0xa0}))).ok());
  // A root that is not a superbox.
  EXPECT_FALSE(ReadJumbf(BoxBytes("cbor", {0xa0})).ok());
  // A length smaller than the header.
  Bytes tiny = good;
  tiny[11] = 4;
  EXPECT_FALSE(ReadJumbf(tiny).ok());
  // Bytes after the root superbox.
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(ReadJumbf(trailing).ok());
  // A label without its terminating NUL.
  Bytes unterminated = good;
  unterminated.back() = 'x';
  auto label = ReadJumbf(unterminated);
  ASSERT_FALSE(label.ok());
  EXPECT_NE(label.error().message.find("NUL"), std::string::npos);
  // Every proper prefix fails cleanly.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ReadJumbf(std::span(good.data(), n)).ok()) << n;
  }
}

TEST(JumbfReader, CapsNestingAndBoxCount) {
  Bytes store = SuperboxBytes("c2pa", "x", {});
  for (int i = 0; i < 200; ++i) store = SuperboxBytes("c2pa", "x", {store});
  auto deep = ReadJumbf(store);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(deep.error().message.find("nest deeper"), std::string::npos);

  std::vector<Bytes> many(100, BoxBytes("cbor", {}));
  auto wide = ReadJumbf(SuperboxBytes("c2pa", "c2pa", many),
                        JumbfLimits{.max_depth = 4, .max_boxes = 50});
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark::provenance

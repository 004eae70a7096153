#include "bulwark/provenance/jumbf_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "bulwark/core/hex.h"

namespace bulwark::provenance {
namespace {

uint32_t BoxSize(const std::vector<uint8_t>& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) |
         (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

std::string BoxType(const std::vector<uint8_t>& b, size_t at) {
  return std::string(b.begin() + at + 4, b.begin() + at + 8);
}

TEST(JumbfWriter, BuildsC2paUuidsFromTheirFourCharacterCodes) {
  EXPECT_EQ(HexEncode(kManifestStoreUuid), "6332706100110010800000aa00389b71");
  EXPECT_EQ(HexEncode(kClaimUuid), "6332636c00110010800000aa00389b71");
  EXPECT_EQ(HexEncode(kSignatureUuid), "6332637300110010800000aa00389b71");
  EXPECT_EQ(HexEncode(kCborAssertionUuid), "63626f7200110010800000aa00389b71");
}

TEST(JumbfWriter, BoxIsSizeTypeAndPayload) {
  const uint8_t payload[] = {1, 2, 3};
  EXPECT_EQ(HexEncode(JumbfBox("cbor", payload)), "0000000b63626f72010203");
}

TEST(JumbfWriter, SuperboxStartsWithARequestableLabelledDescription) {
  const uint8_t content[] = {0xa0};  // CBOR {}
  const std::vector<uint8_t> box = JumbfContentSuperbox(
      kCborAssertionUuid, "c2pa.hash.data", "cbor", content);
  ASSERT_EQ(BoxSize(box, 0), box.size());
  EXPECT_EQ(BoxType(box, 0), "jumb");
  // jumd: header, UUID, toggles 0x03, "c2pa.hash.data\0".
  const size_t jumd_size = 8 + 16 + 1 + 15;
  EXPECT_EQ(BoxSize(box, 8), jumd_size);
  EXPECT_EQ(BoxType(box, 8), "jumd");
  EXPECT_TRUE(std::equal(kCborAssertionUuid.begin(), kCborAssertionUuid.end(),
                         box.begin() + 16));
  EXPECT_EQ(box[32], 0x03);
  EXPECT_EQ(std::string(box.begin() + 33, box.begin() + 48),
            std::string("c2pa.hash.data\0", 15));
  // Then the content box, ending the superbox exactly.
  const size_t content_at = 8 + jumd_size;
  EXPECT_EQ(BoxType(box, content_at), "cbor");
  EXPECT_EQ(BoxSize(box, content_at), 9u);
  EXPECT_EQ(content_at + 9, box.size());
  EXPECT_EQ(box.back(), 0xa0);
}

TEST(JumbfWriter, NestedSuperboxSizesAddUp) {
  const uint8_t content[] = {0xf6};
  const std::vector<uint8_t> children[] = {
      JumbfContentSuperbox(kCborAssertionUuid, "a", "cbor", content),
      JumbfContentSuperbox(kClaimUuid, "b", "json", content)};
  const std::vector<uint8_t> store =
      JumbfSuperbox(kManifestStoreUuid, "c2pa", children);
  const size_t description = 8 + 16 + 1 + 5;
  EXPECT_EQ(store.size(),
            8 + description + children[0].size() + children[1].size());
  EXPECT_EQ(BoxSize(store, 0), store.size());
  // The children follow the description box unchanged.
  EXPECT_TRUE(std::equal(children[0].begin(), children[0].end(),
                         store.begin() + 8 + description));
  EXPECT_TRUE(std::equal(children[1].begin(), children[1].end(),
                         store.end() - children[1].size()));
}

}  // namespace
}  // namespace bulwark::provenance

#include <gtest/gtest.h>

#include "bulwark/hash/digest.h"
#include "bulwark/hash/pdq_hash.h"
#include "bulwark/hash/signal.h"

namespace bulwark::hash {
namespace {

constexpr const char* kPdqA =
    "f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596221e1d33e6b39c4e9c9b22";

TEST(PdqHash, HexRoundTripAndBitOrder) {
  auto h = PdqHash::FromHex(kPdqA);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->ToHex(), kPdqA);
  // The first hex digit 'f' holds bits 255..252; the last '2' holds bits
  // 3..0, of which only bit 1 is set.
  EXPECT_TRUE(h->bit(255));
  EXPECT_TRUE(h->bit(252));
  EXPECT_TRUE(h->bit(1));
  EXPECT_FALSE(h->bit(0));
  PdqHash one;
  one.set_bit(0);
  EXPECT_EQ(one.ToHex(), std::string(63, '0') + "1");
  EXPECT_EQ(one.popcount(), 1);
  EXPECT_FALSE(PdqHash::FromHex("f8f8").ok());
  EXPECT_FALSE(PdqHash::FromHex(std::string(64, 'g')).ok());
}

TEST(PdqHash, Distance) {
  auto a = *PdqHash::FromHex(kPdqA);
  PdqHash b = a;
  EXPECT_EQ(a.Distance(b), 0);
  b.set_bit(0);  // was 0
  EXPECT_EQ(a.Distance(b), 1);
  PdqHash zero;
  EXPECT_EQ(a.Distance(zero), a.popcount());
}

TEST(Signal, ParsesEachTypeWithItsLength) {
  EXPECT_TRUE(Signal::Parse(SignalType::kMd5, std::string(32, 'a')).ok());
  EXPECT_TRUE(Signal::Parse(SignalType::kSha1, std::string(40, 'B')).ok());
  EXPECT_TRUE(Signal::Parse(SignalType::kSha256, std::string(64, '0')).ok());
  auto wrong = Signal::Parse(SignalType::kSha1, std::string(32, 'a'));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("40 hex digits"), std::string::npos);
  auto upper = Signal::Parse(SignalType::kMd5, std::string(32, 'A'));
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->ToHex(), std::string(32, 'a'));  // canonical lowercase
}

TEST(Signal, TypedFormAndPdqDistance) {
  auto a = Signal::ParseTyped(std::string("pdq:") + kPdqA);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->type(), SignalType::kPdq);
  EXPECT_EQ(a->ToTyped(), std::string("pdq:") + kPdqA);
  std::string flipped = kPdqA;
  flipped[63] = '3';  // 0x2 -> 0x3: one bit
  auto b = Signal::Parse(SignalType::kPdq, flipped);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a->Distance(*b), 1);
  auto md5 = Signal::Parse(SignalType::kMd5, std::string(32, 'a'));
  EXPECT_FALSE(a->Distance(*md5).ok());
  EXPECT_FALSE(Signal::ParseTyped("nope:abcd").ok());
  EXPECT_FALSE(Signal::ParseTyped("abcd").ok());
}

TEST(Digest, KnownAnswers) {
  const std::string abc = "abc";
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(abc.data()),
                                 abc.size());
  EXPECT_EQ(*DigestHex(DigestAlgorithm::kMd5, bytes),
            "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(*DigestHex(DigestAlgorithm::kSha1, bytes),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(*DigestHex(DigestAlgorithm::kSha256, bytes),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Streaming in pieces equals one shot.
  auto d = Digester::Create(DigestAlgorithm::kSha256);
  ASSERT_TRUE(d.ok());
  d->Update(bytes.subspan(0, 1));
  d->Update(bytes.subspan(1));
  EXPECT_EQ(*d->FinishHex(), *DigestHex(DigestAlgorithm::kSha256, bytes));
  EXPECT_EQ(*DigestHex(DigestAlgorithm::kMd5, {}),
            "d41d8cd98f00b204e9800998ecf8427e");
}

}  // namespace
}  // namespace bulwark::hash

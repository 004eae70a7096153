// SignImage's output, checked structurally (without a C2PA verifier): where
// the manifest store and XMP go, that nothing else changes, and the errors
// for inputs it refuses. sign_verify_node_test.cc checks validity.
#include <expat.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>

#include "bulwark/provenance/embed_jpeg.h"
#include "bulwark/provenance/embed_png.h"
#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "bulwark/provenance/xmp.h"
#include "support/test_paths.h"

namespace bulwark::provenance {
namespace {

using Bytes = std::vector<uint8_t>;

uint32_t U32(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) |
         (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

std::string Text(const Bytes& b) { return std::string(b.begin(), b.end()); }

Bytes Image(const std::string& name) {
  return testing::ReadBytes(testing::TestDataDir() + "/pdq/images/" + name);
}

// The APP11 JUMBF segments of a JPEG, reassembled.
struct App11Store {
  size_t start = 0, end = 0;  // the run of segments, markers included
  std::vector<uint32_t> sequence_numbers;
  Bytes store;
};

App11Store FindApp11Store(const Bytes& jpeg) {
  App11Store s;
  size_t pos = 2;
  while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xff && jpeg[pos + 1] != 0xda) {
    const size_t length = (size_t{jpeg[pos + 2]} << 8) | jpeg[pos + 3];
    if (jpeg[pos + 1] == 0xeb && jpeg[pos + 4] == 'J' && jpeg[pos + 5] == 'P') {
      if (s.sequence_numbers.empty()) s.start = pos;
      s.sequence_numbers.push_back(U32(jpeg, pos + 8));
      // After "JP", En, Z: the box header (kept once), then the data.
      const size_t header_at = pos + 12;
      const size_t from = s.store.empty() ? header_at : header_at + 8;
      const Bytes piece(jpeg.begin() + from, jpeg.begin() + pos + 2 + length);
      s.store.insert(s.store.end(), piece.begin(), piece.end());
      s.end = pos + 2 + length;
    }
    pos += 2 + length;
  }
  return s;
}

Bytes Without(const Bytes& b, size_t start, size_t end) {
  Bytes out(b.begin(), b.begin() + start);
  out.insert(out.end(), b.begin() + end, b.end());
  return out;
}

class SignEmbed : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = MakeTestCa(SigningAlgorithm::kEs256);
    ASSERT_TRUE(ca.ok());
    auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem,
                                     SigningAlgorithm::kEs256);
    ASSERT_TRUE(signer.ok());
    signer_ = std::move(*signer);
  }
  Result<Bytes> Sign(const Bytes& image) {
    return SignImage(image, *signer_, SignOptions{});
  }
  std::unique_ptr<PemSigner> signer_;
};

TEST_F(SignEmbed, JpegGainsXmpAndOneManifestStoreAndNothingElse) {
  const Bytes original = Image("ski-rocket.jpg");
  auto signed_jpeg = Sign(original);
  ASSERT_TRUE(signed_jpeg.ok()) << signed_jpeg.error().ToString();

  const App11Store app11 = FindApp11Store(*signed_jpeg);
  ASSERT_EQ(app11.sequence_numbers, std::vector<uint32_t>{1});
  EXPECT_EQ(U32(app11.store, 0), app11.store.size());
  EXPECT_EQ(Text(app11.store).substr(4, 4), "jumb");
  EXPECT_NE(Text(app11.store).find("c2pa.claim.v2"), std::string::npos);

  // Without the store, the file is the original plus one XMP APP1 segment
  // right after APP0, which carries the digital source type.
  const Bytes without_store = Without(*signed_jpeg, app11.start, app11.end);
  auto layout = ScanJpeg(without_store);  // points into without_store
  ASSERT_TRUE(layout.ok());
  ASSERT_TRUE(layout->xmp_segment_offset.has_value());
  EXPECT_EQ(*layout->xmp_segment_offset, 20u);  // SOI + the 18-byte APP0
  EXPECT_EQ(app11.start, 20u + layout->xmp_segment_size);
  EXPECT_NE(layout->xmp_packet.find(
                "Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/"
                "digitalsourcetype/trainedAlgorithmicMedia\""),
            std::string::npos);
  EXPECT_EQ(Without(without_store, 20, 20 + layout->xmp_segment_size),
            original);
}

TEST_F(SignEmbed, ExistingJpegXmpIsExtendedNotDuplicated) {
  const Bytes original = Image("ski-hubble-deep-field.jpg");
  auto before = ScanJpeg(original);
  ASSERT_TRUE(before.ok() && before->xmp_segment_offset);
  const std::string old_packet(before->xmp_packet);
  auto signed_jpeg = Sign(original);
  ASSERT_TRUE(signed_jpeg.ok()) << signed_jpeg.error().ToString();
  const std::string text = Text(*signed_jpeg);
  // One XMP segment: its signature (with the NUL) appears once.
  const std::string signature("http://ns.adobe.com/xap/1.0/\0", 29);
  EXPECT_EQ(text.find(signature), text.rfind(signature));
  auto after = ScanJpeg(*signed_jpeg);
  ASSERT_TRUE(after.ok());
  const std::string packet(after->xmp_packet);
  EXPECT_NE(packet.find("trainedAlgorithmicMedia"), std::string::npos);
  // Everything the old packet said is still there, in order.
  const size_t end = old_packet.rfind("</rdf:RDF>");
  EXPECT_EQ(packet.substr(0, end), old_packet.substr(0, end));
  EXPECT_EQ(packet.substr(packet.size() - (old_packet.size() - end)),
            old_packet.substr(end));
}

TEST_F(SignEmbed, PngGainsACaBXChunkAfterIhdrWithAValidCrc) {
  const Bytes original = Image("ski-coffee.png");
  auto signed_png = Sign(original);
  ASSERT_TRUE(signed_png.ok()) << signed_png.error().ToString();
  const Bytes& png = *signed_png;
  // Signature (8) + IHDR (25), then caBX.
  ASSERT_EQ(Text(png).substr(37, 4), "caBX");
  const uint32_t length = U32(png, 33);
  EXPECT_EQ(U32(png, 41), length);  // the store's LBox
  EXPECT_EQ(crc32_z(0, png.data() + 37, length + 4), U32(png, 41 + length));
  auto layout = ScanPng(png);
  ASSERT_TRUE(layout.ok());
  EXPECT_TRUE(layout->has_manifest);
  ASSERT_TRUE(layout->xmp_chunk_offset);
  EXPECT_NE(layout->xmp_packet.find("trainedAlgorithmicMedia"),
            std::string::npos);
  const size_t xmp_at = *layout->xmp_chunk_offset;
  EXPECT_EQ(xmp_at, 33u + 12 + length);
  EXPECT_EQ(crc32_z(0, png.data() + xmp_at + 4, U32(png, xmp_at) + 4),
            U32(png, xmp_at + 8 + U32(png, xmp_at)));
  EXPECT_EQ(Without(Without(png, xmp_at, xmp_at + layout->xmp_chunk_size), 33,
                    33 + 12 + length),
            original);
}

TEST_F(SignEmbed, RefusesAnImageThatIsAlreadySigned) {
  for (const char* name : {"ski-rocket.jpg", "ski-coffee.png"}) {
    auto once = Sign(Image(name));
    ASSERT_TRUE(once.ok());
    auto twice = Sign(*once);
    ASSERT_FALSE(twice.ok()) << name;
    EXPECT_EQ(twice.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(twice.error().message.find("already carries a C2PA manifest"),
              std::string::npos);
  }
}

TEST_F(SignEmbed, RefusesOtherFormatsBrokenContainersAndOversizedImages) {
  auto text = Sign(Bytes{'h', 'e', 'l', 'l', 'o'});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupported);

  const Bytes jpeg = Image("ski-rocket.jpg");
  auto truncated = Sign(Bytes(jpeg.begin(), jpeg.begin() + 30));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, ErrorCode::kCorrupt);

  Bytes huge_segment = jpeg;
  huge_segment[4] = 0xff;  // APP0 length 0xff10, past the end of the file
  huge_segment.resize(200);
  auto overrun = Sign(huge_segment);
  ASSERT_FALSE(overrun.ok());
  EXPECT_EQ(overrun.error().code, ErrorCode::kCorrupt);

  Bytes png = Image("ski-coffee.png");
  png[33] = 0x7f;  // second chunk claims ~2 GB
  auto png_overrun = Sign(png);
  ASSERT_FALSE(png_overrun.ok());
  EXPECT_EQ(png_overrun.error().code, ErrorCode::kCorrupt);

  SignOptions small;
  small.max_image_bytes = 1000;
  auto too_big = SignImage(jpeg, *signer_, small);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, ErrorCode::kLimitExceeded);
}

// Truncated and corrupted containers: every outcome is a signed image or
// an error naming a corrupt or unsupported input, never a crash (the
// sanitizer build checks the reads).
TEST_F(SignEmbed, TruncatedOrCorruptedHeadersGiveErrorsOrSignedImages) {
  for (const char* name : {"gen-rocket-exif-orient6.jpg", "ski-coffee.png"}) {
    const Bytes original = Image(name);
    uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    for (size_t i = 0; i < 1500; ++i) {
      Bytes input = original;
      if (i < 500) {
        input.resize(i * 3);  // truncated inside the headers
      } else {
        for (int k = 0; k < 3; ++k) {
          input[next() % 1024] = static_cast<uint8_t>(next() >> 16);
        }
      }
      auto out = Sign(input);
      if (out.ok()) {
        EXPECT_GT(out->size(), input.size()) << name << " case " << i;
        continue;
      }
      const ErrorCode code = out.error().code;
      EXPECT_TRUE(code == ErrorCode::kCorrupt ||
                  code == ErrorCode::kUnsupported ||
                  code == ErrorCode::kLimitExceeded)
          << name << " case " << i << ": " << out.error().ToString();
    }
  }
}

bool WellFormedXml(std::string_view xml) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()),
                            XML_TRUE) == XML_STATUS_OK;
  XML_ParserFree(parser);
  return ok;
}

TEST(Xmp, NewAndExtendedPacketsAreWellFormedXml) {
  auto fresh = XmpWithDigitalSourceType(std::nullopt, kTrainedAlgorithmicMedia);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(WellFormedXml(*fresh)) << *fresh;
  EXPECT_NE(fresh->find("Iptc4xmpExt:DigitalSourceType=\""
                        "http://cv.iptc.org/newscodes/digitalsourcetype/"
                        "trainedAlgorithmicMedia\""),
            std::string::npos);
  for (const char* name :
       {"ski-hubble-deep-field.jpg", "gen-hubble-panorama-2000x100.jpg"}) {
    const Bytes jpeg = Image(name);  // the layout points into it
    auto layout = ScanJpeg(jpeg);
    ASSERT_TRUE(layout.ok() && layout->xmp_segment_offset) << name;
    auto merged =
        XmpWithDigitalSourceType(layout->xmp_packet, kTrainedAlgorithmicMedia);
    ASSERT_TRUE(merged.ok()) << name;
    EXPECT_TRUE(WellFormedXml(*merged)) << name;
  }
  auto twice = XmpWithDigitalSourceType(*fresh, kTrainedAlgorithmicMedia);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kUnsupported);
  auto no_rdf =
      XmpWithDigitalSourceType("<x:xmpmeta/>", kTrainedAlgorithmicMedia);
  EXPECT_FALSE(no_rdf.ok());
}

// A store larger than one APP11 segment spans several, each repeating the
// JPEG XT header and the superbox's LBox/TBox, with sequence numbers 1, 2, 3.
TEST(JpegManifestSegments, SplitAStoreLargerThanOneSegment) {
  const Bytes jpeg = {0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9};
  Bytes store(150000);
  for (size_t i = 0; i < store.size(); ++i) store[i] = static_cast<uint8_t>(i);
  store[0] = 0;
  store[1] = 0x02;
  store[2] = 0x49;
  store[3] = 0xf0;  // LBox = 150000
  std::copy_n("jumb", 4, store.begin() + 4);
  const Bytes out = JpegWithManifest(jpeg, 2, store);
  EXPECT_EQ(out.size(), jpeg.size() + JpegManifestSegmentsSize(store.size()));
  const App11Store app11 = FindApp11Store(out);
  EXPECT_EQ(app11.sequence_numbers, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(app11.store, store);
  EXPECT_EQ(app11.start, 2u);
  EXPECT_EQ(app11.end, out.size() - 6);
}

}  // namespace
}  // namespace bulwark::provenance

// The hash detector over a real bank (hashes of benign sample images in a
// temporary SqliteStore): exact copies match by every digest and PDQ,
// rotated copies by a PDQ dihedral variant, undecodable bytes are an error
// whose digests are still matched, and banks added later are seen.
#include "bulwark/detect/hash_detector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bulwark/bank/sqlite_store.h"
#include "support/bank_test_util.h"
#include "support/test_paths.h"

namespace bulwark::detect {
namespace {

using hash::SignalType;

std::vector<uint8_t> Image(const std::string& name) {
  return testing::ReadBytes(testing::TestDataDir() + "/pdq/images/" + name);
}

// Every hash HashBytes computes for `bytes`, as bank entries.
std::vector<bank::NewEntry> EntriesFor(const std::vector<uint8_t>& bytes) {
  hash::FileHashes h =
      hash::HashBytes(bytes, HashDetector::DefaultOptions().request);
  std::vector<bank::NewEntry> entries;
  auto add = [&](SignalType t, const std::optional<std::string>& hex) {
    if (!hex) return;
    bank::NewEntry e;
    e.signal = *hash::Signal::Parse(t, *hex);
    entries.push_back(e);
  };
  add(SignalType::kMd5, h.md5);
  add(SignalType::kSha1, h.sha1);
  add(SignalType::kSha256, h.sha256);
  if (h.pdq) {
    bank::NewEntry e;
    e.signal = hash::Signal::FromPdq(h.pdq->hash);
    e.quality = h.pdq->quality;
    entries.push_back(e);
  }
  return entries;
}

Item ImageItem(std::vector<uint8_t> bytes) {
  Item item;
  item.image = std::move(bytes);
  return item;
}

bool HasType(const DetectorReport& r, SignalType t) {
  return std::any_of(r.findings.begin(), r.findings.end(),
                     [&](const Finding& f) { return f.match->type == t; });
}

class DetectHashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = bank::SqliteStore::Open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    AddBank("known", "csam", Image("ski-chelsea-cat.png"));
    auto m = index::Matcher::Create(*store_);
    ASSERT_TRUE(m.ok()) << m.error().ToString();
    matcher_ = std::move(*m);
    detector_ = std::make_unique<HashDetector>(*matcher_,
                                               HashDetector::DefaultOptions());
  }

  void AddBank(const std::string& name, const std::string& category,
               const std::vector<uint8_t>& bytes) {
    bank::BankInfo info;
    info.name = name;
    info.category = category;
    auto b = store_->CreateBank(info);
    ASSERT_TRUE(b.ok()) << b.error().ToString();
    auto added = store_->AddEntries(b->id, EntriesFor(bytes));
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  }

  testing::BankTempDir dir_;
  std::unique_ptr<bank::SqliteStore> store_;
  std::unique_ptr<index::Matcher> matcher_;
  std::unique_ptr<HashDetector> detector_;
};

TEST_F(DetectHashTest, ExactCopyMatchesEveryHashWithBankCategory) {
  const DetectorReport r =
      detector_->Run(ImageItem(Image("ski-chelsea-cat.png")));
  EXPECT_EQ(r.detector, "hash");
  EXPECT_FALSE(r.error);
  ASSERT_TRUE(r.hashes);
  ASSERT_TRUE(r.hashes->pdq);
  ASSERT_TRUE(r.hashes->pdq->dihedral);  // dihedral on by default
  for (SignalType t : {SignalType::kMd5, SignalType::kSha1, SignalType::kSha256,
                       SignalType::kPdq}) {
    EXPECT_TRUE(HasType(r, t)) << hash::SignalTypeName(t);
  }
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.detector, "hash");
    EXPECT_EQ(f.kind, "hash.match");
    EXPECT_EQ(f.category, "csam");
    EXPECT_EQ(f.score, 1.0);
    ASSERT_TRUE(f.match);
    EXPECT_EQ(f.match->bank_name, "known");
    const std::string of_entry =
        " entry " + std::to_string(f.match->entry_id) + " of bank known";
    EXPECT_NE(f.reason.find(of_entry), std::string::npos) << f.reason;
    if (f.match->type == SignalType::kMd5) {
      EXPECT_EQ(f.reason.rfind("MD5 equal to", 0), 0u) << f.reason;
    }
    if (f.match->type == SignalType::kPdq && f.match->variant == 0) {
      EXPECT_EQ(f.reason.rfind("PDQ distance 0 to", 0), 0u) << f.reason;
    }
  }
}

TEST_F(DetectHashTest, RotatedCopyMatchesByDihedralVariant) {
  const DetectorReport r =
      detector_->Run(ImageItem(Image("gen-chelsea-cat-rot90.png")));
  EXPECT_FALSE(r.error);
  EXPECT_FALSE(HasType(r, SignalType::kSha256));  // different bytes
  bool rotated = false;
  for (const Finding& f : r.findings) {
    if (f.match->type != SignalType::kPdq || f.match->variant == 0) continue;
    rotated = true;
    EXPECT_EQ(f.category, "csam");
    EXPECT_EQ(f.reason.rfind("PDQ distance ", 0), 0u) << f.reason;
    EXPECT_NE(f.reason.find(" (rot"), std::string::npos) << f.reason;
  }
  EXPECT_TRUE(rotated);
}

TEST_F(DetectHashTest, UnrelatedImageHasNoFindings) {
  const DetectorReport r = detector_->Run(ImageItem(Image("ski-coffee.png")));
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_TRUE(r.hashes);
  EXPECT_TRUE(r.hashes->pdq);
}

TEST_F(DetectHashTest, UndecodableBytesAreAnErrorButDigestsStillMatch) {
  const std::string text = "not an image at all, just some bytes";
  const std::vector<uint8_t> bytes(text.begin(), text.end());
  AddBank("bytes", "csam", bytes);
  ASSERT_TRUE(matcher_->Refresh().ok());

  const DetectorReport r = detector_->Run(ImageItem(bytes));
  ASSERT_TRUE(r.error);
  EXPECT_FALSE(r.error->message.empty());
  ASSERT_TRUE(r.hashes);
  EXPECT_TRUE(r.hashes->md5 && r.hashes->sha1 && r.hashes->sha256);
  EXPECT_FALSE(r.hashes->pdq);
  EXPECT_TRUE(HasType(r, SignalType::kMd5));
  EXPECT_TRUE(HasType(r, SignalType::kSha256));
  EXPECT_FALSE(HasType(r, SignalType::kPdq));
}

TEST_F(DetectHashTest, TruncatedImageIsAnError) {
  std::vector<uint8_t> bytes = Image("ski-coffee.png");
  bytes.resize(bytes.size() / 2);
  const DetectorReport r = detector_->Run(ImageItem(bytes));
  EXPECT_TRUE(r.error);
  ASSERT_TRUE(r.hashes);
  EXPECT_TRUE(r.hashes->sha256);
  EXPECT_TRUE(r.findings.empty());
}

TEST_F(DetectHashTest, TextOnlyItemIsAnEmptyReport) {
  Item item;
  item.text = "a prompt with no image";
  const DetectorReport r = detector_->Run(item);
  EXPECT_EQ(r.detector, "hash");
  EXPECT_FALSE(r.error);
  EXPECT_FALSE(r.hashes);
  EXPECT_TRUE(r.findings.empty());
}

TEST_F(DetectHashTest, BankAddedLaterIsSeenAfterRefresh) {
  const Item coffee = ImageItem(Image("ski-coffee.png"));
  EXPECT_TRUE(detector_->Run(coffee).findings.empty());
  AddBank("later", "test", coffee.image.value());
  ASSERT_TRUE(matcher_->Refresh().ok());
  const DetectorReport r = detector_->Run(coffee);
  ASSERT_FALSE(r.findings.empty());
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.category, "test");
    EXPECT_EQ(f.match->bank_name, "later");
  }
}

TEST_F(DetectHashTest, ThresholdOptionOverridesBankRadius) {
  HashDetectorOptions options = HashDetector::DefaultOptions();
  options.threshold = 0;
  options.request.md5 = options.request.sha1 = options.request.sha256 = false;
  const HashDetector strict(*matcher_, options);
  const DetectorReport r =
      strict.Run(ImageItem(Image("gen-chelsea-cat-rot90.png")));
  for (const Finding& f : r.findings) EXPECT_EQ(f.match->distance, 0);
}

}  // namespace
}  // namespace bulwark::detect

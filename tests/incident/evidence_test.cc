// Evidence is kept only encrypted: the database files never hold the
// plaintext, a wrong or missing key fails clearly, and keys are refused
// where they would sit with the data.
#include "bulwark/incident/evidence.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "bulwark/core/hex.h"
#include "bulwark/incident/store.h"
#include "incident/sample_incident.h"
#include "support/image_encoders.h"
#include "support/scratch_dir.h"
#include "support/synthetic_image.h"
#include "support/test_paths.h"

namespace bulwark::incident {
namespace {

using testing::kSampleTimeMs;
using testing::SampleIncident;
using testing::ScratchDir;

constexpr char kText[] = "placeholder evidence text 7f3a9c";
constexpr char kPrompt[] = "placeholder prompt 51d2e8";

std::shared_ptr<const EvidenceKey> NewKey(const ScratchDir& keys,
                                          const std::string& name) {
  EXPECT_TRUE(WriteNewKeyFile(keys / name).ok());
  auto key = EvidenceKey::FromFile(keys / name, "/nonexistent-data-dir");
  EXPECT_TRUE(key.ok()) << key.error().ToString();
  return std::make_shared<const EvidenceKey>(std::move(*key));
}

std::string FileBytes(const std::string& path) {
  if (!std::filesystem::exists(path)) return "";
  auto b = testing::ReadBytes(path);
  return std::string(b.begin(), b.end());
}

TEST(EvidenceTest, KeptEncryptedAndReadBackWithTheKey) {
  ScratchDir data, keys;
  ManualClock clock(kSampleTimeMs);
  const auto image = testing::EncodePng(
      testing::SyntheticImage(64, 48, media::PixelFormat::kRgb8, /*seed=*/3));
  Evidence content;
  content.text = kText;
  content.prompt = kPrompt;
  content.media = image;
  StoreOptions options;
  options.key = NewKey(keys, "k1");
  int64_t id = 0;
  {
    auto store = IncidentStore::Open(data.path(), options, clock);
    ASSERT_TRUE(store.ok());
    auto created = (*store)->Create(SampleIncident(), &content);
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    EXPECT_TRUE(created->has_evidence);
    id = created->id;
    auto back = (*store)->ReadEvidence(id);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(back->text, content.text);
    EXPECT_EQ(back->prompt, content.prompt);
    EXPECT_EQ(back->media, content.media);
  }
  // Neither the text nor any stretch of the image is in the files.
  const std::string db =
      FileBytes(data / "incidents.db") + FileBytes(data / "incidents.db-wal");
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db.find(kText), std::string::npos);
  EXPECT_EQ(db.find(kPrompt), std::string::npos);
  const std::string middle(image.begin() + image.size() / 2,
                           image.begin() + image.size() / 2 + 32);
  EXPECT_EQ(db.find(middle), std::string::npos);

  // Another key: a clear error, never garbage.
  StoreOptions other;
  other.key = NewKey(keys, "k2");
  auto store = IncidentStore::Open(data.path(), other, clock);
  auto wrong = (*store)->ReadEvidence(id);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("not with the configured key"),
            std::string::npos)
      << wrong.error().message;
  // No key at all.
  auto keyless = IncidentStore::Open(data.path(), {}, clock);
  auto missing = (*keyless)->ReadEvidence(id);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("key"), std::string::npos);
  // The record itself stays readable without the key.
  EXPECT_TRUE((*keyless)->Get(id).ok());
}

TEST(EvidenceTest, TamperedCiphertextFailsAuthentication) {
  ScratchDir keys;
  auto key = NewKey(keys, "k");
  Evidence content;
  content.text = kText;
  auto sealed = Seal(content, *key);
  ASSERT_TRUE(sealed.ok());
  sealed->ciphertext[sealed->ciphertext.size() / 2] ^= 1;
  auto opened = Unseal(*sealed, *key);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  // Two seals of the same content differ (a fresh nonce each time).
  auto a = Seal(content, *key), b = Seal(content, *key);
  EXPECT_NE(a->nonce, b->nonce);
  EXPECT_NE(a->ciphertext, b->ciphertext);
}

TEST(EvidenceTest, KeyOptionsAreCheckedClearly) {
  ScratchDir data, keys;
  EvidenceOptions keep;
  keep.keep = true;
  auto none = LoadEvidenceKey(keep, data.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("evidence.keep = true needs"),
            std::string::npos);
  EXPECT_FALSE(LoadEvidenceKey(EvidenceOptions{}, data.path())->has_value());

  // Inside the data directory: refused.
  ASSERT_TRUE(WriteNewKeyFile(data / "evidence.key").ok());
  keep.key_file = data / "evidence.key";
  auto inside = LoadEvidenceKey(keep, data.path());
  ASSERT_FALSE(inside.ok());
  EXPECT_NE(inside.error().message.find("inside the data directory"),
            std::string::npos);

  // Readable by others: refused.
  ASSERT_TRUE(WriteNewKeyFile(keys / "open.key").ok());
  ::chmod((keys / "open.key").c_str(), 0644);
  keep.key_file = keys / "open.key";
  EXPECT_NE(LoadEvidenceKey(keep, data.path()).error().message.find("chmod"),
            std::string::npos);

  // make-key refuses to overwrite, writes 0600.
  ASSERT_TRUE(WriteNewKeyFile(keys / "good.key").ok());
  EXPECT_FALSE(WriteNewKeyFile(keys / "good.key").ok());
  struct stat st;
  ASSERT_EQ(::stat((keys / "good.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  keep.key_file = keys / "good.key";
  auto good = LoadEvidenceKey(keep, data.path());
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_EQ((*good)->id().size(), 16u);

  // From the environment: 64 hex digits.
  EvidenceOptions env;
  env.keep = true;
  env.key_env = "BULWARK_TEST_EVIDENCE_KEY";
  ::unsetenv(env.key_env.c_str());
  EXPECT_EQ(LoadEvidenceKey(env, data.path()).error().code,
            ErrorCode::kNotFound);
  ::setenv(env.key_env.c_str(), "not hex", 1);
  EXPECT_FALSE(LoadEvidenceKey(env, data.path()).ok());
  ::setenv(env.key_env.c_str(), std::string(64, 'a').c_str(), 1);
  auto from_env = LoadEvidenceKey(env, data.path());
  ASSERT_TRUE(from_env.ok()) << from_env.error().ToString();
  ::unsetenv(env.key_env.c_str());

  // A raw 32-byte file works too.
  const std::string raw(32, '\x07');
  keys.Write("raw.key", raw);
  ::chmod((keys / "raw.key").c_str(), 0600);
  keep.key_file = keys / "raw.key";
  EXPECT_TRUE(LoadEvidenceKey(keep, data.path()).ok());
}

}  // namespace
}  // namespace bulwark::incident

#include "bulwark/service/key_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/bank_test_util.h"

namespace bulwark::service {
namespace {

using bulwark::testing::BankTempDir;
using bulwark::testing::BankWriteFile;

TEST(ServiceKeyStore, CreatesAnAdminKeyOnceAndReloadsIt) {
  BankTempDir dir;
  const std::string data = dir.path() + "/data";  // created on demand
  std::optional<std::string> key;
  Result<std::vector<ApiKey>> keys = LoadOrCreateKeyStore(data, &key);
  ASSERT_TRUE(keys.ok()) << keys.error().ToString();
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->rfind("bwk_", 0), 0u);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].name, "admin");
  EXPECT_EQ((*keys)[0].role, Role::kAdmin);
  EXPECT_EQ((*keys)[0].sha256_hex, HashApiKey(*key));

  struct stat st {};
  ASSERT_EQ(::stat(KeyStorePath(data).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // The key's text is in no file, only its digest.
  std::optional<std::string> again = std::string("stale");
  Result<std::vector<ApiKey>> reloaded = LoadOrCreateKeyStore(data, &again);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().ToString();
  EXPECT_FALSE(again.has_value());
  ASSERT_EQ(reloaded->size(), 1u);
  EXPECT_EQ((*reloaded)[0].sha256_hex, HashApiKey(*key));

  Authenticator auth(*reloaded);
  auto caller = auth.Check("Bearer " + *key);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->key_name, "admin");
}

TEST(ServiceKeyStore, SaveThenLoadKeepsEveryKey) {
  BankTempDir dir;
  std::vector<ApiKey> keys = {
      {"admin", HashApiKey("a"), Role::kAdmin},
      {"frontend \"1\"", HashApiKey("b"), Role::kClient}};
  ASSERT_TRUE(SaveKeyStore(dir.path(), keys).ok());
  std::optional<std::string> key;
  Result<std::vector<ApiKey>> loaded = LoadOrCreateKeyStore(dir.path(), &key);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_FALSE(key);
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[1].name, "frontend \"1\"");
  EXPECT_EQ((*loaded)[1].sha256_hex, HashApiKey("b"));
  EXPECT_EQ((*loaded)[1].role, Role::kClient);
}

TEST(ServiceKeyStore, CorruptStoresAreClearErrors) {
  const std::string sha(64, 'c');
  const std::pair<std::string, std::string> cases[] = {
      {"{not json", "not a valid key store"},
      {"{\"keys\": []}", "expected a JSON array"},
      {"[1]", "entry 1 is not an object"},
      {"[{\"name\": \"a\", \"role\": \"admin\"}]", "needs string name"},
      {"[{\"name\": \"a\", \"sha256\": \"xyz\", \"role\": \"admin\"}]",
       "64 hex digits"},
      {"[{\"name\": \"a\", \"sha256\": \"" + sha + "\", \"role\": \"god\"}]",
       "role must be"},
      {"[{\"name\": \"a\", \"sha256\": \"" + sha +
           "\", \"role\": \"admin\"}, {\"name\": \"a\", \"sha256\": \"" + sha +
           "\", \"role\": \"client\"}]",
       "duplicate key name"},
  };
  for (const auto& [text, want] : cases) {
    BankTempDir dir;
    BankWriteFile(KeyStorePath(dir.path()), text);
    std::optional<std::string> key;
    Result<std::vector<ApiKey>> keys = LoadOrCreateKeyStore(dir.path(), &key);
    ASSERT_FALSE(keys.ok()) << text;
    EXPECT_EQ(keys.error().code, ErrorCode::kCorrupt);
    EXPECT_NE(keys.error().message.find(want), std::string::npos)
        << keys.error().message;
    EXPECT_NE(keys.error().message.find("api-keys.json"), std::string::npos);
    EXPECT_FALSE(key);
  }
}

TEST(ServiceKeyStore, AnEmptyStoreIsValidAndNotRecreated) {
  BankTempDir dir;
  BankWriteFile(KeyStorePath(dir.path()), "[]");
  std::optional<std::string> key;
  Result<std::vector<ApiKey>> keys = LoadOrCreateKeyStore(dir.path(), &key);
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->empty());
  EXPECT_FALSE(key);
}

}  // namespace
}  // namespace bulwark::service

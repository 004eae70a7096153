#include "bulwark/service/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace bulwark::service {
namespace {

TEST(ServiceAuth, HashApiKeyIsSha256Hex) {
  EXPECT_EQ(HashApiKey("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ServiceAuth, NewApiKeysAreRandomAndWellFormed) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string key = NewApiKey();
    ASSERT_EQ(key.size(), 4u + 64u);
    EXPECT_EQ(key.rfind("bwk_", 0), 0u);
    EXPECT_EQ(key.find_first_not_of("0123456789abcdef", 4), std::string::npos);
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(ServiceAuth, CheckFindsTheKeyAndItsRoles) {
  Authenticator auth({{"frontend", HashApiKey("k1"), Role::kClient},
                      {"ops", HashApiKey("k2"), Role::kAdmin}});
  auto client = auth.Check(std::string("Bearer k1"));
  ASSERT_TRUE(client);
  EXPECT_EQ(client->key_name, "frontend");
  EXPECT_EQ(client->roles, std::vector<Role>{Role::kClient});

  auto admin = auth.Check(std::string("bearer   k2 "));  // scheme any case
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->key_name, "ops");
  EXPECT_EQ(admin->roles, (std::vector<Role>{Role::kClient, Role::kAdmin}));
  EXPECT_FALSE(auth.insecure());
}

TEST(ServiceAuth, CheckRefusesMissingMalformedAndUnknownKeys) {
  Authenticator auth({{"frontend", HashApiKey("k1"), Role::kClient}});
  EXPECT_FALSE(auth.Check(std::nullopt));
  EXPECT_FALSE(auth.Check(std::string("")));
  EXPECT_FALSE(auth.Check(std::string("k1")));
  EXPECT_FALSE(auth.Check(std::string("Basic k1")));
  EXPECT_FALSE(auth.Check(std::string("Bearer")));
  EXPECT_FALSE(auth.Check(std::string("Bearer k2")));
  EXPECT_FALSE(auth.Check(std::string("Bearer k1 extra")));
  // The digest is not a key.
  EXPECT_FALSE(auth.Check("Bearer " + HashApiKey("k1")));
  Authenticator none({});
  EXPECT_FALSE(none.Check(std::string("Bearer k1")));
}

TEST(ServiceAuth, InsecureGrantsEverything) {
  Authenticator auth = Authenticator::Insecure();
  EXPECT_TRUE(auth.insecure());
  auto caller = auth.Check(std::nullopt);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->roles,
            (std::vector<Role>{Role::kClient, Role::kAdmin, Role::kReviewer}));
}

TEST(ServiceAuth, ReviewerKeysAreOnlyReviewers) {
  Authenticator auth({{"rev", HashApiKey("bwk_rev"), Role::kReviewer},
                      {"ops", HashApiKey("bwk_ops"), Role::kAdmin}});
  auto rev = auth.Check("Bearer bwk_rev");
  ASSERT_TRUE(rev);
  EXPECT_EQ(rev->roles, std::vector<Role>{Role::kReviewer});
  auto ops = auth.Check("Bearer bwk_ops");
  ASSERT_TRUE(ops);
  EXPECT_EQ(ops->roles, (std::vector<Role>{Role::kClient, Role::kAdmin}));
  EXPECT_EQ(ParseRole("reviewer"), Role::kReviewer);
  EXPECT_FALSE(ParseRole("root"));
  EXPECT_STREQ(RoleName(Role::kReviewer), "reviewer");
}

}  // namespace
}  // namespace bulwark::service

// Assertions shared by the policy tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "bulwark/policy/policy.h"

namespace bulwark::policy {

// `text` does not parse: kInvalidArgument with a message naming `needle`.
inline void ExpectInvalid(const std::string& text, const std::string& needle) {
  auto p = Policy::Parse(text);
  ASSERT_FALSE(p.ok()) << text;
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message.find(needle), std::string::npos)
      << p.error().message;
}

}  // namespace bulwark::policy

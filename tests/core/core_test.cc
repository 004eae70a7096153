#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <vector>

#include <unistd.h>

#include "bulwark/core/file.h"
#include "bulwark/core/hex.h"
#include "bulwark/core/ordered_parallel.h"
#include "bulwark/core/result.h"
#include "bulwark/core/text_escape.h"

namespace bulwark {
namespace {

TEST(Hex, RoundTripsAndRejectsBadText) {
  std::vector<uint8_t> bytes = {0x00, 0x7f, 0x80, 0xff, 0x12};
  EXPECT_EQ(HexEncode(bytes), "007f80ff12");
  auto back = HexDecode("007F80ff12");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(HexDecode("abc").ok());
  auto bad = HexDecode("zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("position 0"), std::string::npos);
}

TEST(Result, CarriesValueOrError) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = MakeError(ErrorCode::kCorrupt, "broken");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().ToString(), "corrupt: broken");
}

TEST(ReadFile, EnforcesLimitAndReportsMissingFiles) {
  const std::string path = ::testing::TempDir() + "/bulwark_read_file_test_" +
                           std::to_string(getpid());
  {
    std::ofstream out(path, std::ios::binary);
    out << "hello world";
  }
  auto ok = ReadFile(path, 100);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 11u);
  auto big = ReadFile(path, 10);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kLimitExceeded);
  auto missing = ReadFile(path + ".nope", 100);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto dir = ReadFile(::testing::TempDir(), 100);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, ErrorCode::kInvalidArgument);
  std::remove(path.c_str());
}

TEST(TextEscape, JsonIsAlwaysValid) {
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote(std::string("x\ny\x01", 4)), "\"x\\u000ay\\u0001\"");
  EXPECT_EQ(JsonQuote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(JsonQuote("bad\xff"), "\"bad\xef\xbf\xbd\"");
  EXPECT_EQ(JsonQuote("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");  // overlong
}

TEST(TextEscape, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain/path.jpg"), "plain/path.jpg");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(OrderedParallel, DeliversEveryResultInOrder) {
  for (int jobs : {1, 2, 7}) {
    std::vector<size_t> seen;
    std::atomic<int> calls{0};
    OrderedParallel<size_t>(
        1000, jobs,
        [&](size_t i) {
          ++calls;
          return i * i;
        },
        [&](size_t i, size_t r) {
          EXPECT_EQ(r, i * i);
          seen.push_back(i);
        },
        /*window=*/16);
    ASSERT_EQ(seen.size(), 1000u);
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
    EXPECT_EQ(calls.load(), 1000);
  }
  int sinks = 0;
  OrderedParallel<int>(
      0, 4, [](size_t) { return 0; }, [&](size_t, int) { ++sinks; });
  EXPECT_EQ(sinks, 0);
}

}  // namespace
}  // namespace bulwark

#include "bulwark/core/clock.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

TEST(Clock, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatUtcMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMs(1795882654120), "2026-11-28T16:17:34.120Z");
  EXPECT_EQ(FormatUtcMs(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Clock, ParsesWhatItFormats) {
  for (int64_t ms : {int64_t{0}, int64_t{1795882654120}, int64_t{951782400000},
                     int64_t{-1}}) {
    auto back = ParseUtcMs(FormatUtcMs(ms));
    ASSERT_TRUE(back.ok()) << FormatUtcMs(ms);
    EXPECT_EQ(*back, ms);
  }
  EXPECT_EQ(*ParseUtcMs("2026-11-28"), 1795824000000);
  EXPECT_EQ(*ParseUtcMs("2026-11-28T16:17:34Z"), 1795882654000);
}

TEST(Clock, RefusesWhatIsNotUtc) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-11-28T16:17:34",
                          "2026-11-28T16:17:34+01:00", "2026-11-28T25:00:00Z",
                          "yesterday", "2026-11-28T16:17:34.1Z"}) {
    auto r = ParseUtcMs(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("not a UTC time"), std::string::npos);
  }
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowMs(), 1000);
  clock.Advance(250);
  EXPECT_EQ(clock.NowMs(), 1250);
  clock.Set(5);
  EXPECT_EQ(clock.NowMs(), 5);
  SystemClock system;
  EXPECT_GT(system.NowMs(), 1700000000000);  // after November 2023
}

}  // namespace
}  // namespace bulwark

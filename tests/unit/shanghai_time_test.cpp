// Instants as activities enter and show them (ISO-8601 with an offset, Asia/Shanghai).
#include <gtest/gtest.h>

#include "dossier/core/ShanghaiTime.h"

using namespace dossier;

namespace {

constexpr std::int64_t kSecond = 1000000;
// 2025-04-01T01:00:00Z
constexpr std::int64_t kOpens = 1743469200LL * kSecond;

}  // namespace

TEST(ShanghaiTime, OneInstantWrittenWithAnyOffset) {
    EXPECT_EQ(parseInstant("2025-04-01T09:00:00+08:00"), kOpens);
    EXPECT_EQ(parseInstant("2025-04-01T01:00:00Z"), kOpens);
    EXPECT_EQ(parseInstant("2025-03-31T20:00:00-05:00"), kOpens);
    EXPECT_EQ(parseInstant("2025-04-01T09:00+08:00"), kOpens);
    EXPECT_EQ(parseInstant("2025-04-01T09:00:00.5+08:00"), kOpens + kSecond / 2);
    EXPECT_EQ(parseInstant("2025-04-01T09:00:00.000001+08:00"), kOpens + 1);
    EXPECT_EQ(parseInstant("2024-02-29T00:00:00+08:00"), 1709136000LL * kSecond);
    EXPECT_EQ(parseInstant("1970-01-01T08:00:00+08:00"), 0);
}

TEST(ShanghaiTime, WhatIsNotAnInstantIsRefused) {
    for (const char* bad :
         {"", "2025-04-01", "2025-04-01T09:00:00", "2025-04-01 09:00:00+08:00",
          "2025-02-29T09:00:00+08:00", "2025-04-31T09:00:00+08:00", "2025-13-01T09:00:00+08:00",
          "2025-04-01T24:00:00+08:00", "2025-04-01T09:60:00+08:00", "2025-04-01T09:00:60+08:00",
          "2025-04-01T09:00:00.+08:00", "2025-04-01T09:00:00.1234567+08:00",
          "2025-04-01T09:00:00+0800", "2025-04-01T09:00:00+15:00", "2025-04-01T09:00:00Zjunk",
          "1969-12-31T23:59:59Z", "２０２５-04-01T09:00:00+08:00", "2025-4-1T9:00:00+08:00"}) {
        EXPECT_FALSE(parseInstant(bad).has_value()) << bad;
    }
}

TEST(ShanghaiTime, ShownInBeijingTime) {
    EXPECT_EQ(formatShanghai(kOpens), "2025-04-01T09:00:00+08:00");
    // The first instant of a Beijing day is still the previous day in UTC.
    EXPECT_EQ(formatShanghai(kOpens - 9 * 3600 * kSecond), "2025-04-01T00:00:00+08:00");
    EXPECT_EQ(formatShanghai(kOpens - 9 * 3600 * kSecond - kSecond), "2025-03-31T23:59:59+08:00");
    EXPECT_EQ(parseInstant(formatShanghai(kOpens + 7)), kOpens) << "fractions are not shown";
}

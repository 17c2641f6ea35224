#include "core/time.h"

#include <gtest/gtest.h>

namespace tilsyn {
namespace {

Date D(int y, int m, int d) { return DateFromYmd(y, m, d); }

TEST(TimeTest, AddMonthsClampsToTheEndOfTheMonth) {
  EXPECT_EQ(AddMonths(D(2025, 1, 31), 1), D(2025, 2, 28));   // no 29 Feb in 2025
  EXPECT_EQ(AddMonths(D(2024, 1, 31), 1), D(2024, 2, 29));   // leap year
  EXPECT_EQ(AddMonths(D(2023, 10, 31), 4), D(2024, 2, 29));  // no 31 Feb, 2024 is a leap year
  EXPECT_EQ(AddMonths(D(2024, 2, 29), 12), D(2025, 2, 28));
  EXPECT_EQ(AddMonths(D(2024, 8, 31), 6), D(2025, 2, 28));
  EXPECT_EQ(AddMonths(D(2024, 11, 30), 3), D(2025, 2, 28));
  EXPECT_EQ(AddMonths(D(2025, 3, 15), 4), D(2025, 7, 15));
  EXPECT_EQ(AddMonths(D(2024, 3, 31), -1), D(2024, 2, 29));
  EXPECT_EQ(AddMonths(D(2025, 1, 15), -13), D(2023, 12, 15));
  EXPECT_EQ(AddMonths(D(2007, 8, 31), 210), D(2025, 2, 28));  // 17 years 6 months
}

TEST(TimeTest, DayOfWeekAndRoundTrip) {
  EXPECT_EQ(DayOfWeek(D(1970, 1, 1)), 3);    // Thursday
  EXPECT_EQ(DayOfWeek(D(2025, 3, 30)), 6);   // Sunday
  EXPECT_EQ(DayOfWeek(D(1969, 12, 29)), 0);  // Monday, before the epoch
  for (int days = -25567; days < 84006; days += 97) {
    EXPECT_EQ(ParseDate(FormatDate(Date{days})).value(), Date{days});
  }
}

TEST(TimeTest, ParseDateNamesTheProblem) {
  EXPECT_EQ(ParseDate("2025-13-01").error().message, "\"2025-13-01\" is not a real calendar date");
  EXPECT_EQ(ParseDate("25-01-01").error().message, "\"25-01-01\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("1899-12-31").error().message,
            "\"1899-12-31\" is outside the supported years 1900-2199");
}

}  // namespace
}  // namespace tilsyn

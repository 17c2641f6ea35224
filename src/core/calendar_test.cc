#include "core/calendar.h"

#include <gtest/gtest.h>

namespace tilsyn {
namespace {

const Calendar& Cal() { return Calendar::Danish(); }

Date D(int y, int m, int d) { return DateFromYmd(y, m, d); }

Instant Utc(int y, int m, int d, int hh, int mm, int ss = 0) {
  return Instant{D(y, m, d).days * kSecondsPerDay + int64_t{hh} * 3600 + int64_t{mm} * 60 + ss};
}

std::vector<std::string> Lines(int year) {
  std::vector<std::string> lines;
  for (const NamedDay& day : Cal().NonWeekdays(year)) {
    lines.push_back(FormatDate(day.date) + " " + day.name);
  }
  return lines;
}

TEST(CalendarTest, NonWeekdays2024HasNoStoreBededag) {
  // Easter Sunday 2024 was 31 March; Store Bededag was abolished from 2024.
  EXPECT_EQ(Lines(2024),
            (std::vector<std::string>{
                "2024-01-01 Nytårsdag", "2024-03-28 Skærtorsdag", "2024-03-29 Langfredag",
                "2024-03-31 Påskedag", "2024-04-01 2. påskedag", "2024-05-09 Kristi Himmelfartsdag",
                "2024-05-19 Pinsedag", "2024-05-20 2. pinsedag", "2024-06-05 Grundlovsdag",
                "2024-12-24 Juleaftensdag", "2024-12-25 Juledag", "2024-12-26 2. juledag",
                "2024-12-31 Nytårsaftensdag"}));
}

TEST(CalendarTest, StoreBededag2023IsTheFourthFridayAfterEaster) {
  // Easter 2023 was 9 April; + 26 days = Friday 5 May.
  const std::vector<std::string> lines = Lines(2023);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2023-05-05 Store Bededag"), lines.end());
  EXPECT_TRUE(Cal().IsPublicHoliday(D(2023, 5, 5)));
  EXPECT_FALSE(Cal().IsPublicHoliday(D(2024, 4, 26)));  // the 4th Friday after Easter 2024
  EXPECT_TRUE(Cal().IsWeekday(D(2024, 4, 26)));
}

TEST(CalendarTest, TwoNamesOnOneDayAppearOnce) {
  // Easter 2017 was 16 April, so 2. pinsedag (+50) fell on Grundlovsdag, 5 June.
  const std::vector<std::string> lines = Lines(2017);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2017-06-05 2. pinsedag og Grundlovsdag"),
            lines.end());
  EXPECT_EQ(lines.size(), 13u);  // 14 names, one shared day
}

TEST(CalendarTest, WeekdaysSkipWeekendsHolidaysAndTheDaysOff) {
  EXPECT_TRUE(Cal().IsWeekday(D(2025, 5, 1)));     // 1 May is not a holiday
  EXPECT_FALSE(Cal().IsWeekday(D(2025, 6, 5)));    // Grundlovsdag, a Thursday
  EXPECT_FALSE(Cal().IsWeekday(D(2025, 12, 24)));  // Wednesday
  EXPECT_FALSE(Cal().IsWeekday(D(2025, 3, 15)));   // Saturday
  EXPECT_FALSE(Cal().IsPublicHoliday(D(2025, 6, 5)));
}

TEST(CalendarTest, AddWeekdaysOverEaster) {
  // Wed 27 Mar 2024 + 1: Thu 28 Skærtorsdag, Fri 29 Langfredag, weekend, Mon 1 Apr 2. påskedag.
  EXPECT_EQ(Cal().AddWeekdays(D(2024, 3, 27), 1), D(2024, 4, 2));
  // Fri 5 Apr 2024 + 6: 8, 9, 10, 11, 12, 15 April.
  EXPECT_EQ(Cal().AddWeekdays(D(2024, 4, 5), 6), D(2024, 4, 15));
}

TEST(CalendarTest, AddWeekdaysOverChristmas) {
  // Fri 20 Dec 2024 + 3: Mon 23 (1), 24-26 off, Fri 27 (2), Mon 30 (3).
  EXPECT_EQ(Cal().AddWeekdays(D(2024, 12, 20), 3), D(2024, 12, 30));
  // Mon 30 Dec 2024 + 2: 31 Dec off, 1 Jan off, Thu 2 Jan (1), Fri 3 Jan (2).
  EXPECT_EQ(Cal().AddWeekdays(D(2024, 12, 30), 2), D(2025, 1, 3));
}

TEST(CalendarTest, DaysFollowDaylightSavingTime) {
  // 30 Mar 2025: clocks go forward at 01:00 UTC, so the day is 23 hours long.
  EXPECT_EQ(Cal().StartOfDay(D(2025, 3, 30)), Utc(2025, 3, 29, 23, 0));
  EXPECT_EQ(Cal().EndOfDay(D(2025, 3, 30)), Utc(2025, 3, 30, 21, 59, 59));
  // 26 Oct 2025: clocks go back at 01:00 UTC, a 25-hour day.
  EXPECT_EQ(Cal().StartOfDay(D(2025, 10, 26)), Utc(2025, 10, 25, 22, 0));
  EXPECT_EQ(Cal().EndOfDay(D(2025, 10, 26)), Utc(2025, 10, 26, 22, 59, 59));
  EXPECT_EQ(Cal().UtcOffsetSeconds(Utc(2025, 3, 30, 0, 59, 59)), 3600);
  EXPECT_EQ(Cal().UtcOffsetSeconds(Utc(2025, 3, 30, 1, 0)), 7200);
}

TEST(CalendarTest, SkippedAndRepeatedLocalTimes) {
  // 02:30 does not exist on 30 Mar 2025: read as 03:30 CEST = 01:30 UTC.
  EXPECT_EQ(Cal().FromLocal(D(2025, 3, 30), 2 * 3600 + 1800), Utc(2025, 3, 30, 1, 30));
  // 02:30 happens twice on 26 Oct 2025: the earlier one, 02:30 CEST = 00:30 UTC.
  EXPECT_EQ(Cal().FromLocal(D(2025, 10, 26), 2 * 3600 + 1800), Utc(2025, 10, 26, 0, 30));
}

TEST(CalendarTest, LocalDateOfLateEvening) {
  // 22:30 UTC on 14 July is 00:30 CEST on 15 July.
  EXPECT_EQ(Cal().LocalDate(Utc(2025, 7, 14, 22, 30)), D(2025, 7, 15));
  EXPECT_EQ(Cal().LocalDate(Utc(2025, 1, 14, 22, 30)), D(2025, 1, 14));
}

TEST(CalendarTest, FormatsWithLocalOffset) {
  EXPECT_EQ(Cal().FormatInstant(Cal().EndOfDay(D(2025, 3, 14))), "2025-03-14T23:59:59+01:00");
  EXPECT_EQ(Cal().FormatInstant(Cal().EndOfDay(D(2025, 7, 14))), "2025-07-14T23:59:59+02:00");
}

TEST(CalendarTest, ParsesDatesAndTimes) {
  Result<ParsedTime> date = Cal().ParseTime("2025-03-14");
  ASSERT_TRUE(date);
  EXPECT_TRUE(date->date_only);
  EXPECT_EQ(date->at, Utc(2025, 3, 13, 23, 0));

  Result<ParsedTime> local = Cal().ParseTime("2025-07-14T10:30");
  ASSERT_TRUE(local);
  EXPECT_FALSE(local->date_only);
  EXPECT_EQ(local->at, Utc(2025, 7, 14, 8, 30));

  Result<ParsedTime> seconds = Cal().ParseTime("2025-07-14T10:30:15");
  ASSERT_TRUE(seconds);
  EXPECT_EQ(seconds->at, Utc(2025, 7, 14, 8, 30, 15));

  Result<ParsedTime> zulu = Cal().ParseTime("2025-07-14T10:30Z");
  ASSERT_TRUE(zulu);
  EXPECT_EQ(zulu->at, Utc(2025, 7, 14, 10, 30));

  Result<ParsedTime> offset = Cal().ParseTime("2025-07-14T10:30:00-03:30");
  ASSERT_TRUE(offset);
  EXPECT_EQ(offset->at, Utc(2025, 7, 14, 14, 0));
}

TEST(CalendarTest, RejectsMalformedTimes) {
  for (const char* text : {"2025-3-14", "2025-03-14 10:30", "2025-03-14T25:00", "2025-03-14T10",
                           "2025-03-14T10:30+1", "2025-02-29", "14-03-2025", "2025-03-14T10:60"}) {
    EXPECT_FALSE(Cal().ParseTime(text)) << text;
  }
  Result<ParsedTime> not_real = Cal().ParseTime("2025-02-29");
  ASSERT_FALSE(not_real);
  EXPECT_EQ(not_real.error().message, "\"2025-02-29\" is not a real calendar date");
}

// The table-driven month arithmetic gives what the civil one does, across the whole table and at
// its ends (where it falls back), month ends and leap days included.
TEST(CalendarTest, AddMonthsAgreesWithTheCivilArithmetic) {
  const Calendar& calendar = Calendar::Danish();
  for (int32_t days = kFirstSupportedDate.days; days <= kLastSupportedDate.days; days += 7) {
    for (const int months : {-25, -12, -1, 0, 1, 3, 4, 6, 12, 210}) {
      ASSERT_EQ(calendar.AddMonths(Date{days}, months), AddMonths(Date{days}, months))
          << FormatDate(Date{days}) << " + " << months;
    }
  }
  for (const Date day : {DateFromYmd(2024, 1, 31), DateFromYmd(2024, 2, 29),
                         DateFromYmd(2023, 8, 31), kFirstSupportedDate, kLastSupportedDate}) {
    for (int months = -1300; months <= 1300; ++months) {
      ASSERT_EQ(calendar.AddMonths(day, months), AddMonths(day, months))
          << FormatDate(day) << " + " << months;
    }
  }
  EXPECT_EQ(calendar.AddMonths(DateFromYmd(2024, 1, 31), 1), DateFromYmd(2024, 2, 29));
  EXPECT_EQ(calendar.AddMonths(DateFromYmd(2024, 2, 29), 12), DateFromYmd(2025, 2, 28));
}

// Before 1970 (a negative second count) and after, the local date is the Danish one.
TEST(CalendarTest, LocalDateBeforeAndAfterTheEpoch) {
  const Calendar& calendar = Calendar::Danish();
  EXPECT_EQ(calendar.LocalDate(calendar.StartOfDay(DateFromYmd(1950, 6, 1))),
            DateFromYmd(1950, 6, 1));
  EXPECT_EQ(calendar.LocalDate(calendar.EndOfDay(DateFromYmd(1969, 12, 31))),
            DateFromYmd(1969, 12, 31));
  EXPECT_EQ(calendar.LocalDate(calendar.StartOfDay(DateFromYmd(1970, 1, 1))),
            DateFromYmd(1970, 1, 1));
  EXPECT_EQ(calendar.LocalDate(Instant{-3600}), DateFromYmd(1970, 1, 1));  // 00:00 CET
  EXPECT_EQ(calendar.LocalDate(Instant{-3601}), DateFromYmd(1969, 12, 31));
}

}  // namespace
}  // namespace tilsyn

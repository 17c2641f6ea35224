#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tilsyn {

// A calendar date as a day number: days since 1970-01-01 (proleptic Gregorian).
struct Date {
  int32_t days = 0;
  auto operator<=>(const Date&) const = default;
};

// A point in time: seconds since 1970-01-01T00:00:00Z.
struct Instant {
  int64_t seconds = 0;
  auto operator<=>(const Instant&) const = default;
};

struct YearMonthDay {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

inline constexpr int64_t kSecondsPerDay = 86400;

// The date of a valid year/month/day (no validation: see ParseDate for input).
Date DateFromYmd(int year, int month, int day);
YearMonthDay ToYmd(Date date);
// 0 = Monday … 6 = Sunday.
int DayOfWeek(Date date);
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
int DaysInYear(int year);
// The same day n months later (n may be negative), or the last day of that month where the day
// does not exist: 31 January + 1 month = 28 or 29 February.
Date AddMonths(Date date, int months);
inline Date AddDays(Date date, int days) { return Date{date.days + days}; }

// "YYYY-MM-DD".
std::string FormatDate(Date date);
// Writes `value` (not negative) as `width` decimal digits, zero-padded, at `out`: for formatting
// dates and times without a format string, which costs more than the digits on a hot path.
void WriteDigits(char* out, int64_t value, int width);
// Parses exactly "YYYY-MM-DD" with a real calendar date between 1900-01-01 and 2199-12-31.
Result<Date> ParseDate(std::string_view text);

inline constexpr Date kFirstSupportedDate{-25567};  // 1900-01-01
inline constexpr Date kLastSupportedDate{84005};    // 2199-12-31

}  // namespace tilsyn

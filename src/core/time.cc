#include "core/time.h"

#include <date/date.h>
#include <fmt/format.h>

namespace tilsyn {
namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

Date DateFromYmd(int year, int month, int day) {
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  return Date{date::sys_days{ymd}.time_since_epoch().count()};
}

YearMonthDay ToYmd(Date value) {
  const date::year_month_day ymd{date::sys_days{date::days{value.days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int DayOfWeek(Date value) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int shifted = (value.days + 3) % 7;
  return shifted < 0 ? shifted + 7 : shifted;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

int DaysInYear(int year) { return IsLeapYear(year) ? 366 : 365; }

Date AddMonths(Date value, int months) {
  const YearMonthDay ymd = ToYmd(value);
  const int index = ymd.year * 12 + (ymd.month - 1) + months;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;
  const int month = index - year * 12 + 1;
  const int day = std::min(ymd.day, DaysInMonth(year, month));
  return DateFromYmd(year, month, day);
}

void WriteDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::string FormatDate(Date value) {
  const YearMonthDay ymd = ToYmd(value);
  if (ymd.year < 0 || ymd.year > 9999) {
    return fmt::format("{:04}-{:02}-{:02}", ymd.year, ymd.month, ymd.day);
  }
  std::string text(10, '-');
  WriteDigits(text.data(), ymd.year, 4);
  WriteDigits(text.data() + 5, ymd.month, 2);
  WriteDigits(text.data() + 8, ymd.day, 2);
  return text;
}

Result<Date> ParseDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, year) ||
      !ParseDigits(text, 5, 2, month) || !ParseDigits(text, 8, 2, day)) {
    return InvalidArgument(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", text));
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return InvalidArgument(fmt::format("\"{}\" is not a real calendar date", text));
  }
  if (year < 1900 || year > 2199) {
    return InvalidArgument(fmt::format("\"{}\" is outside the supported years 1900-2199", text));
  }
  return DateFromYmd(year, month, day);
}

}  // namespace tilsyn

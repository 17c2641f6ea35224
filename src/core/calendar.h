#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace tilsyn {

// A day that never counts as a weekday (hverdag) although it may fall Monday to Friday.
struct NamedDay {
  Date date;
  std::string name;  // Danish, e.g. "Store Bededag"
};

// A time read from input: its instant, and whether the input gave only a date.
struct ParsedTime {
  Instant at;
  bool date_only = false;
};

// The Danish calendar of rules.md: Europe/Copenhagen local time (DST-correct, from the system's
// tz database), public holidays, weekdays (hverdage) and deadline arithmetic. All deadline
// arithmetic lives here. Covers 1900-01-01 to 2199-12-31; immutable and thread-safe once built.
class Calendar {
 public:
  // The calendar for Europe/Copenhagen, built once. Throws std::runtime_error if the system's
  // tz database lacks the zone (a broken installation, not bad input).
  static const Calendar& Danish();

  // Local midnight starting `date`.
  Instant StartOfDay(Date date) const { return Instant{day_start_[Index(date)]}; }
  // The last second of `date` in local time (23:59:59): deadlines "at the end of the day".
  Instant EndOfDay(Date date) const { return Instant{day_start_[Index(date) + 1] - 1}; }
  // The local date that `at` falls on. Inline: the engine asks it for every event.
  Date LocalDate(Instant at) const {
    // Copenhagen is one or two hours east of UTC: the day at UTC+1 is right or one day early, and
    // the table of local midnights says which, with no search.
    const int64_t shifted = at.seconds + 3600;
    if (shifted >= 0) {
      const int64_t guess = shifted / kSecondsPerDay - kFirstSupportedDate.days;
      if (static_cast<uint64_t>(guess) + 2 < day_start_.size()) {
        const int64_t day =
            at.seconds >= day_start_[static_cast<size_t>(guess) + 1] ? guess + 1 : guess;
        return Date{static_cast<int32_t>(day + kFirstSupportedDate.days)};
      }
    }
    return LocalDateBySearch(at);
  }
  // Local offset from UTC in seconds at `at` (3600 in winter, 7200 in summer).
  int UtcOffsetSeconds(Instant at) const;
  // The instant of a local wall-clock time. A time skipped by the spring change (02:30) is read
  // as the same time after the change (03:30); a repeated autumn time takes the earlier instant.
  Instant FromLocal(Date date, int seconds_of_day) const;

  // ISO 8601 with the local offset: "2025-03-14T23:59:59+01:00".
  std::string FormatInstant(Instant at) const;
  // Reads "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (local time) or either time form followed by an
  // offset ("Z", "+01:00"). A date alone is 00:00 local time and marked date_only.
  Result<ParsedTime> ParseTime(std::string_view text) const;

  bool IsPublicHoliday(Date date) const;
  // Monday to Friday except public holidays, Grundlovsdag (5 June), 24 and 31 December.
  bool IsWeekday(Date date) const;
  // The n-th weekday after `date` (the day itself is not counted); n >= 1.
  Date AddWeekdays(Date date, int n) const;
  // What AddMonths (time.h) gives, from tables: the same month day `months` months on, or the
  // month's last day when it is shorter.
  Date AddMonths(Date date, int months) const {
    const size_t index = Index(date);
    const int64_t target = int64_t{month_of_day_[index]} + months;
    if (target < 0 || static_cast<size_t>(target) + 1 >= month_start_.size()) {
      return tilsyn::AddMonths(date, months);
    }
    const auto month = static_cast<size_t>(target);
    const int32_t length = month_start_[month + 1] - month_start_[month];
    return Date{month_start_[month] + std::min<int32_t>(day_of_month_[index], length) - 1};
  }
  // That year's public holidays and the other days that never count as weekdays, sorted by date.
  // Where two fall on one day (2. pinsedag on Grundlovsdag), the day appears once with both names.
  std::vector<NamedDay> NonWeekdays(int year) const;

  Calendar(const Calendar&) = delete;
  Calendar& operator=(const Calendar&) = delete;

 private:
  struct Transition {
    int64_t at;      // UTC seconds when the offset takes effect
    int32_t offset;  // seconds east of UTC from then on
  };

  explicit Calendar(std::string_view zone_name);
  size_t Index(Date date) const {
    return static_cast<size_t>(date.days - kFirstSupportedDate.days);
  }
  int OffsetAt(int64_t utc_seconds) const;
  Date LocalDateBySearch(Instant at) const;

  std::vector<Transition> transitions_;
  std::vector<int64_t> day_start_;  // local midnight of each supported day, and one past the end
  std::vector<uint8_t> weekday_;    // 1 where the day counts as a weekday
  std::vector<uint8_t> holiday_;    // 1 on public holidays
  std::vector<uint16_t> month_of_day_;  // each day's month, counted from the first day's month
  std::vector<uint8_t> day_of_month_;   // each day's day of its month, 1..31
  std::vector<int32_t> month_start_;    // each month's first day (Date::days), and one past
};

}  // namespace tilsyn

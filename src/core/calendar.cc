#include "core/calendar.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace tilsyn {
namespace {

// Deadlines may run past the last date accepted in input, so the tables reach a century further.
constexpr Date kLastTableDate{120529};  // 2299-12-31

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return DateFromYmd(year, month, day);
}

struct DayOff {
  Date date;
  const char* name;
  bool public_holiday;
};

// rules.md: the public holidays, plus Grundlovsdag, 24 and 31 December, which never count as
// weekdays. Store Bededag was abolished from 2024.
std::vector<DayOff> DaysOff(int year) {
  const Date easter = EasterSunday(year);
  std::vector<DayOff> days = {
      {DateFromYmd(year, 1, 1), "Nytårsdag", true},
      {AddDays(easter, -3), "Skærtorsdag", true},
      {AddDays(easter, -2), "Langfredag", true},
      {easter, "Påskedag", true},
      {AddDays(easter, 1), "2. påskedag", true},
      {AddDays(easter, 39), "Kristi Himmelfartsdag", true},
      {AddDays(easter, 49), "Pinsedag", true},
      {AddDays(easter, 50), "2. pinsedag", true},
      {DateFromYmd(year, 6, 5), "Grundlovsdag", false},
      {DateFromYmd(year, 12, 24), "Juleaftensdag", false},
      {DateFromYmd(year, 12, 25), "Juledag", true},
      {DateFromYmd(year, 12, 26), "2. juledag", true},
      {DateFromYmd(year, 12, 31), "Nytårsaftensdag", false},
  };
  if (year <= 2023) days.push_back({AddDays(easter, 26), "Store Bededag", true});
  std::stable_sort(days.begin(), days.end(),
                   [](const DayOff& a, const DayOff& b) { return a.date < b.date; });
  return days;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

const Calendar& Calendar::Danish() {
  static const Calendar calendar("Europe/Copenhagen");
  return calendar;
}

Calendar::Calendar(std::string_view zone_name) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(zone_name);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format(
        "the time zone database has no {} ({}); install the tzdata package", zone_name, e.what()));
  }
  const int64_t first = (kFirstSupportedDate.days - 2) * kSecondsPerDay;
  const int64_t last = (kLastTableDate.days + 2) * kSecondsPerDay;
  date::sys_seconds cursor{std::chrono::seconds{first}};
  while (cursor.time_since_epoch().count() < last) {
    const date::sys_info info = zone->get_info(cursor);
    const int32_t offset = static_cast<int32_t>(info.offset.count());
    if (transitions_.empty() || transitions_.back().offset != offset) {
      transitions_.push_back({cursor.time_since_epoch().count(), offset});
    }
    cursor = info.end;
  }
  const size_t days = static_cast<size_t>(kLastTableDate.days - kFirstSupportedDate.days + 1);
  day_start_.resize(days + 1);
  for (size_t i = 0; i <= days; ++i) {
    day_start_[i] = FromLocal(Date{kFirstSupportedDate.days + static_cast<int32_t>(i)}, 0).seconds;
  }
  weekday_.assign(days, 0);
  holiday_.assign(days, 0);
  for (size_t i = 0; i < days; ++i) {
    weekday_[i] = DayOfWeek(Date{kFirstSupportedDate.days + static_cast<int32_t>(i)}) < 5;
  }
  for (int year = ToYmd(kFirstSupportedDate).year; year <= ToYmd(kLastTableDate).year; ++year) {
    for (const DayOff& day : DaysOff(year)) {
      weekday_[Index(day.date)] = 0;
      if (day.public_holiday) holiday_[Index(day.date)] = 1;
    }
  }
  month_of_day_.resize(days);
  day_of_month_.resize(days);
  for (size_t i = 0; i < days; ++i) {
    const Date day{kFirstSupportedDate.days + static_cast<int32_t>(i)};
    const YearMonthDay ymd = ToYmd(day);
    if (ymd.day == 1 || i == 0) month_start_.push_back(day.days - (ymd.day - 1));
    month_of_day_[i] = static_cast<uint16_t>(month_start_.size() - 1);
    day_of_month_[i] = static_cast<uint8_t>(ymd.day);
  }
  month_start_.push_back(kLastTableDate.days + 1);  // the table ends on a month's last day
}

int Calendar::OffsetAt(int64_t utc_seconds) const {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                             [](int64_t t, const Transition& tr) { return t < tr.at; });
  if (it == transitions_.begin()) return transitions_.front().offset;
  return std::prev(it)->offset;
}

int Calendar::UtcOffsetSeconds(Instant at) const { return OffsetAt(at.seconds); }

Date Calendar::LocalDateBySearch(Instant at) const {
  return Date{static_cast<int32_t>(FloorDiv(at.seconds + OffsetAt(at.seconds), kSecondsPerDay))};
}

Instant Calendar::FromLocal(Date day, int seconds_of_day) const {
  const int64_t local = day.days * kSecondsPerDay + seconds_of_day;
  const int before = OffsetAt(local - kSecondsPerDay);
  const int after = OffsetAt(local + kSecondsPerDay);
  int64_t best = 0;
  bool found = false;
  for (const int offset : {before, after}) {
    const int64_t candidate = local - offset;
    if (OffsetAt(candidate) == offset && (!found || candidate < best)) {
      best = candidate;
      found = true;
    }
  }
  // A wall-clock time skipped by the spring change: read it with the offset in force before.
  return Instant{found ? best : local - before};
}

std::string Calendar::FormatInstant(Instant at) const {
  const int offset = OffsetAt(at.seconds);
  const int64_t local = at.seconds + offset;
  const Date day{static_cast<int32_t>(FloorDiv(local, kSecondsPerDay))};
  const int64_t of_day = local - day.days * kSecondsPerDay;
  const int abs_offset = offset < 0 ? -offset : offset;
  // YYYY-MM-DDTHH:MM:SS+HH:MM
  std::string text = FormatDate(day);
  const size_t time = text.size();
  text.resize(time + 15);
  char* out = text.data() + time;
  out[0] = 'T';
  WriteDigits(out + 1, of_day / 3600, 2);
  out[3] = ':';
  WriteDigits(out + 4, of_day / 60 % 60, 2);
  out[6] = ':';
  WriteDigits(out + 7, of_day % 60, 2);
  out[9] = offset < 0 ? '-' : '+';
  WriteDigits(out + 10, abs_offset / 3600, 2);
  out[12] = ':';
  WriteDigits(out + 13, abs_offset / 60 % 60, 2);
  return text;
}

Result<ParsedTime> Calendar::ParseTime(std::string_view text) const {
  auto bad = [&] {
    return InvalidArgument(fmt::format(
        "\"{}\" is not a date or time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], optionally with an "
        "offset such as +01:00 or Z)",
        text));
  };
  if (text.size() < 10) return bad();
  Result<Date> day = ParseDate(text.substr(0, 10));
  if (!day) return day.error();
  if (text.size() == 10) return ParsedTime{StartOfDay(*day), true};
  auto digits = [&](size_t pos, int& out) {
    if (pos + 2 > text.size()) return false;
    const char a = text[pos];
    const char b = text[pos + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return false;
    out = (a - '0') * 10 + (b - '0');
    return true;
  };
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text[10] != 'T' || !digits(11, hour) || text.size() < 16 || text[13] != ':' ||
      !digits(14, minute)) {
    return bad();
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(pos + 1, second)) return bad();
    pos += 3;
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return InvalidArgument(fmt::format("\"{}\" has a time of day that does not exist", text));
  }
  const int of_day = hour * 3600 + minute * 60 + second;
  if (pos == text.size()) return ParsedTime{FromLocal(*day, of_day), false};
  const std::string_view zone = text.substr(pos);
  int offset = 0;
  if (zone != "Z") {
    int offset_hours = 0;
    int offset_minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        !digits(pos + 1, offset_hours) || !digits(pos + 4, offset_minutes) || offset_hours > 14 ||
        offset_minutes > 59) {
      return bad();
    }
    offset = (offset_hours * 3600 + offset_minutes * 60) * (zone[0] == '-' ? -1 : 1);
  }
  return ParsedTime{Instant{day->days * kSecondsPerDay + of_day - offset}, false};
}

bool Calendar::IsPublicHoliday(Date day) const { return holiday_[Index(day)] != 0; }

bool Calendar::IsWeekday(Date day) const { return weekday_[Index(day)] != 0; }

Date Calendar::AddWeekdays(Date day, int n) const {
  Date cursor = day;
  while (n > 0) {
    cursor = AddDays(cursor, 1);
    if (weekday_[Index(cursor)] != 0) --n;
  }
  return cursor;
}

std::vector<NamedDay> Calendar::NonWeekdays(int year) const {
  std::vector<NamedDay> result;
  for (const DayOff& day : DaysOff(year)) {
    if (!result.empty() && result.back().date == day.date) {
      result.back().name += fmt::format(" og {}", day.name);
    } else {
      result.push_back({day.date, day.name});
    }
  }
  return result;
}

}  // namespace tilsyn

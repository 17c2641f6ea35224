#include "server/calendar_feed.h"

#include <fmt/format.h>

#include <charconv>

#include "server/crypto.h"

namespace tilsyn::server {
namespace {

constexpr size_t kMaxLineOctets = 75;

int64_t ToInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped.
std::string EscapeText(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
      case ';':
      case ',':
        escaped += '\\';
        escaped += c;
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

// One content line, folded (RFC 5545 3.1): no line longer than 75 octets, each continuation
// beginning with a space, never inside a UTF-8 character; ended by CRLF.
void AppendLine(std::string& out, std::string_view line) {
  size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // the leading space counts
  }
  out.append(line);
  out += "\r\n";
}

std::string UtcDateTime(Instant at) {
  const int64_t days =
      (at.seconds >= 0 ? at.seconds : at.seconds - (kSecondsPerDay - 1)) / kSecondsPerDay;
  const int64_t seconds = at.seconds - days * kSecondsPerDay;
  const YearMonthDay ymd = ToYmd(Date{static_cast<int32_t>(days)});
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", ymd.year, ymd.month, ymd.day,
                     seconds / 3600, seconds / 60 % 60, seconds % 60);
}

std::string BasicDate(Date date) {
  const YearMonthDay ymd = ToYmd(date);
  return fmt::format("{:04}{:02}{:02}", ymd.year, ymd.month, ymd.day);
}

}  // namespace

Result<std::string> CreateCalendarFeed(Store& store, int64_t user_id, Instant now) {
  std::string token = RandomToken();
  Result<std::vector<SqlRow>> stored = store.Query(
      "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
      "created_at = excluded.created_at",
      {user_id, Sha256Hex(token), now.seconds});
  if (!stored) return std::move(stored).error();
  return token;
}

Status RevokeCalendarFeed(Store& store, int64_t user_id) {
  Result<std::vector<SqlRow>> deleted =
      store.Query("DELETE FROM calendar_feeds WHERE user_id = $1 RETURNING user_id", {user_id});
  if (!deleted) return deleted.error();
  if (deleted->empty()) return NotFound("Der er ingen kalender at tilbagekalde");
  return {};
}

Result<std::optional<Instant>> CalendarFeedCreated(Store& store, int64_t user_id) {
  Result<std::vector<SqlRow>> rows =
      store.Query("SELECT created_at FROM calendar_feeds WHERE user_id = $1", {user_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<Instant>();
  return std::optional<Instant>(Instant{ToInt(rows->front()[0])});
}

Result<std::optional<User>> FindCalendarFeedUser(Store& store, std::string_view token) {
  if (token.empty()) return std::optional<User>();
  Result<std::vector<SqlRow>> rows = store.Query(
      "SELECT u.login FROM calendar_feeds f JOIN users u ON u.user_id = f.user_id "
      "WHERE f.token_hash = $1",
      {Sha256Hex(token)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<User>();
  return FindUser(store, rows->front()[0].value_or(""));
}

std::string RenderICalendar(const Worklist& worklist, const Calendar& calendar, Instant now) {
  std::string out;
  AppendLine(out, "BEGIN:VCALENDAR");
  AppendLine(out, "VERSION:2.0");
  AppendLine(out, "PRODID:-//tilsyn//tilsyn 0.1.0//DA");
  AppendLine(out, "CALSCALE:GREGORIAN");
  AppendLine(out, "METHOD:PUBLISH");
  AppendLine(out,
             "X-WR-CALNAME:" + EscapeText(fmt::format("Frister for {}", worklist.worker_name)));
  const std::string stamp = UtcDateTime(now);
  for (const WorklistItem& item : worklist.items) {
    const ObligationView& o = item.obligation;
    AppendLine(out, "BEGIN:VEVENT");
    AppendLine(out,
               fmt::format("UID:{}/{}/{}@tilsyn", o.rule_id, o.trigger_id, BasicDate(o.due_day)));
    AppendLine(out, "DTSTAMP:" + stamp);
    if (o.due == calendar.EndOfDay(o.due_day)) {
      AppendLine(out, "DTSTART;VALUE=DATE:" + BasicDate(o.due_day));
      AppendLine(out, "DTEND;VALUE=DATE:" + BasicDate(AddDays(o.due_day, 1)));
    } else {
      AppendLine(out, "DTSTART:" + UtcDateTime(o.due));
    }
    const std::string_view step = o.next_step.empty() ? o.rule_name : o.next_step;
    AppendLine(out, "SUMMARY:" + EscapeText(fmt::format(
                                     "{}{} (barn {})",
                                     o.status == ObligationStatus::kOverdue ? "Overskredet: " : "",
                                     step, o.child_id)));
    AppendLine(out, "DESCRIPTION:" +
                        EscapeText(fmt::format("{}\n{}\nFrist: {}\nStatus: {}", o.rule_name,
                                               o.legal_reference, calendar.FormatInstant(o.due),
                                               ObligationStatusDanish(o.status))));
    AppendLine(out, "TRANSP:TRANSPARENT");
    AppendLine(out, "END:VEVENT");
  }
  AppendLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace tilsyn::server

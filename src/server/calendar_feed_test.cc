#include "server/calendar_feed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tilsyn::server {
namespace {

const Calendar& Cal() { return Calendar::Danish(); }

// The view's texts are views: `rule`, `child` and `trigger` must outlive the item (literals do).
WorklistItem Item(std::string_view rule, std::string_view child, std::string_view trigger,
                  Instant due, ObligationStatus status) {
  WorklistItem item;
  ObligationView& o = item.obligation;
  o.rule_id = rule;
  o.rule_name = "Børnefaglig undersøgelse; afsluttet, inden for 4 måneder";
  o.legal_reference = "BL § 20, stk. 2";
  o.child_id = child;
  o.trigger_id = trigger;
  o.due = due;
  o.due_day = Cal().LocalDate(due);
  o.status = status;
  o.next_step =
      "Afslut den børnefaglige undersøgelse \\ med en lang tekst, der skal foldes, "
      "fordi den er længere end femoghalvfjerds oktetter: æøå æøå æøå æøå";
  return item;
}

// The lines of `text` unfolded: CRLF then a space joins a line to the one before.
std::vector<std::string> Unfold(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find("\r\n", at);
    const std::string line = text.substr(at, end - at);
    if (!line.empty() && line[0] == ' ') {
      lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
    at = end + 2;
  }
  return lines;
}

TEST(CalendarFeedTest, RendersRfc5545) {
  Worklist worklist;
  worklist.worker_name = "Anne, Rådgiver";
  // 2 July 2025 ends at 23:59:59 in Copenhagen: an all-day deadline. The other falls at 14:30.
  const Date day = DateFromYmd(2025, 7, 2);
  worklist.items.push_back(
      Item("assessment", "B001", "B001-E1", Cal().EndOfDay(day), ObligationStatus::kOpen));
  worklist.items.push_back(Item("notification_assessed_24h", "B002", "B002-E1",
                                Cal().FromLocal(day, 14 * 3600 + 30 * 60),
                                ObligationStatus::kOverdue));
  const std::string text = RenderICalendar(worklist, Cal(), Instant{1751270400});

  // Every line ends with CRLF, none is longer than 75 octets, and no fold splits a character.
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - at, 75u) << text.substr(at, end - at);
    EXPECT_EQ(text.substr(at, end - at).find('\n'), std::string::npos);
    if (text[at] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(text[at + 1]) & 0xC0, 0x80);
    }
    at = end + 2;
  }
  const std::vector<std::string> lines = Unfold(text);
  const auto has = [&lines](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_TRUE(has("VERSION:2.0"));
  EXPECT_TRUE(has("X-WR-CALNAME:Frister for Anne\\, Rådgiver"));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 2);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "DTSTAMP:20250630T080000Z"), 2);
  EXPECT_TRUE(has("UID:assessment/B001-E1/20250702@tilsyn"));
  EXPECT_TRUE(has("DTSTART;VALUE=DATE:20250702"));
  EXPECT_TRUE(has("DTEND;VALUE=DATE:20250703"));
  EXPECT_TRUE(has("DTSTART:20250702T123000Z"));  // 14:30 summer time is 12:30 UTC
  EXPECT_TRUE(
      has("SUMMARY:Afslut den børnefaglige undersøgelse \\\\ med en lang tekst\\, der "
          "skal foldes\\, fordi den er længere end femoghalvfjerds oktetter: æøå æøå "
          "æøå æøå (barn B001)"));
  EXPECT_TRUE(
      has("SUMMARY:Overskredet: Afslut den børnefaglige undersøgelse \\\\ med en lang "
          "tekst\\, der skal foldes\\, fordi den er længere end femoghalvfjerds "
          "oktetter: æøå æøå æøå æøå (barn B002)"));
  EXPECT_TRUE(
      has("DESCRIPTION:Børnefaglig undersøgelse\\; afsluttet\\, inden for 4 "
          "måneder\\nBL § 20\\, stk. 2\\nFrist: 2025-07-02T23:59:59+02:00\\nStatus: "
          "åben"));
}

}  // namespace
}  // namespace tilsyn::server

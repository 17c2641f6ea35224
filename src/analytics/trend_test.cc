#include "analytics/trend.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "core/calendar.h"

namespace tilsyn {
namespace {

using testing_support::SourceCatalogue;

std::string Describe(const Quarter& quarter) {
  const Period period = quarter.period();
  return std::to_string(quarter.year) + "Q" + std::to_string(quarter.number) + " " +
         FormatDate(period.from) + ".." + FormatDate(period.to);
}

TEST(QuarterTest, QuartersUpToADateOldestFirst) {
  std::vector<std::string> quarters;
  for (const Quarter& q : QuartersUpTo(DateFromYmd(2025, 5, 15), 3))
    quarters.push_back(Describe(q));
  EXPECT_EQ(quarters, (std::vector<std::string>{"2024Q4 2024-10-01..2024-12-31",
                                                "2025Q1 2025-01-01..2025-03-31",
                                                "2025Q2 2025-04-01..2025-06-30"}));
  EXPECT_EQ(Describe(QuarterOf(DateFromYmd(2024, 9, 30))), "2024Q3 2024-07-01..2024-09-30");
  EXPECT_EQ(QuartersUpTo(DateFromYmd(2025, 1, 1), 2).front(), (Quarter{2024, 4}));
  EXPECT_TRUE(QuartersUpTo(DateFromYmd(2025, 1, 1), 0).empty());
}

class TrendTest : public testing::Test {
 protected:
  TrendTest()
      : data_(testing_support::ReadDatasetText("trend", TestMunicipality())),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        rule_(static_cast<size_t>(SourceCatalogue().FindRule("notification_assessed_24h"))) {}

  // Per quarter: "2025Q1 met/met_late/overdue/open/exempted/not_applicable" (complete or not).
  std::vector<std::string> Trend(const std::string& unit, Date as_of, int count) const {
    const std::vector<Obligation> obligations = engine_.EvaluateAll(as_of, 1);
    std::vector<std::string> rows;
    for (const QuarterRates& q : ComputeTrend(obligations, data_, SourceCatalogue().rules.size(),
                                              data_.FindUnit(unit), as_of, count)) {
      std::string row = std::to_string(q.quarter.year) + "Q" + std::to_string(q.quarter.number);
      for (size_t s = 0; s < q.by_rule[rule_].count.size(); ++s) {
        row += (s == 0 ? " " : "/") + std::to_string(q.by_rule[rule_].count[s]);
      }
      rows.push_back(row + (q.complete ? "" : " (to date)"));
    }
    return rows;
  }

  Dataset data_;
  Engine engine_;
  size_t rule_;
};

using Rows = std::vector<std::string>;

TEST_F(TrendTest, CountsEachQuarterByDueTimeFromOneAsOf) {
  // test_municipality.h. 2024Q4: C5 met (due 5 Nov). 2025Q1: C7 exempted (21 Jan), C1 met
  // (4 Feb), C2 late (4 Mar). 2025Q2: C3 (2 Apr) and C6 (6 May) overdue. C4 is open (due 1 Jul),
  // and an open obligation counts in every period (CountsFor).
  EXPECT_EQ(Trend("K", DateFromYmd(2025, 6, 30), 3),
            (Rows{"2024Q4 1/0/0/1/0/0", "2025Q1 1/1/0/1/1/0", "2025Q2 0/0/2/1/0/0"}));
  EXPECT_EQ(Trend("D2", DateFromYmd(2025, 6, 30), 3),
            (Rows{"2024Q4 1/0/0/0/0/0", "2025Q1 0/0/0/0/0/0", "2025Q2 0/0/1/0/0/0"}));
}

TEST_F(TrendTest, TheQuarterOfTheAsOfDateIsToDate) {
  // As of 15 May, C4's notification is not known yet, C6's (5 May) is overdue.
  EXPECT_EQ(Trend("K", DateFromYmd(2025, 5, 15), 2),
            (Rows{"2025Q1 1/1/0/0/1/0", "2025Q2 0/0/2/0/0/0 (to date)"}));
}

}  // namespace
}  // namespace tilsyn

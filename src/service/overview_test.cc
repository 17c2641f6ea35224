#include "service/overview.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "core/calendar.h"

namespace tilsyn {
namespace {

using testing_support::ReadDatasetText;
using testing_support::SourceCatalogue;

// test_municipality.h says what each child's notification gives.
class OverviewTest : public testing::Test {
 protected:
  OverviewTest()
      : data_(ReadDatasetText("overview", TestMunicipality())),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        obligations_(engine_.EvaluateAll(kAsOf, 1)) {}

  RatesRequest Rates(const std::string& unit) const {
    RatesRequest request;
    request.as_of = kAsOf;
    request.period = {DateFromYmd(2025, 1, 1), kAsOf};
    request.unit_id = unit;
    return request;
  }
  // The counts of a row as "met/met_late/overdue/open/exempted/not_applicable", "x" if hidden.
  static std::string Counts(const ShownCounts& counts) {
    std::string text;
    for (const ShownCount& count : counts.status) {
      text += (text.empty() ? "" : "/") + (count.value ? std::to_string(*count.value) : "x");
    }
    return text;
  }

  static inline const Date kAsOf = DateFromYmd(2025, 6, 30);
  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
};

TEST_F(OverviewTest, RatesPerRuleWithTheNationalFigures) {
  Result<RatesReport> report = BuildRatesReport(engine_, obligations_, Rates("K"));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->unit_name, "Lilleby Kommune");
  ASSERT_EQ(report->rules.size(), 16u);
  const RuleRates& notification = report->rules[0];
  EXPECT_EQ(notification.rule_id, "notification_assessed_24h");
  EXPECT_EQ(notification.rule_name, "Underretning vurderet inden 24 timer");
  EXPECT_EQ(Counts(notification.counts), "1/1/2/1/1/0");
  EXPECT_EQ(notification.counts.rate.value, 0.25);      // 1 met of 4
  EXPECT_EQ(notification.counts.done_rate.value, 0.5);  // 2 done of 4
  // national-figures.md: 87 (2019), 88 (2021), 92 (2020-22), 96 (2023).
  ASSERT_TRUE(notification.national_latest);
  EXPECT_EQ(notification.national_latest->percent, 96);
  EXPECT_EQ(notification.national_latest->Period(), "2023");
  ASSERT_EQ(notification.national_series.size(), 4u);
  EXPECT_EQ(notification.national_series[2].Period(), "2020-2022");
  // The receipt to professional notifiers has no national figure and, here, no obligation.
  EXPECT_EQ(report->rules[1].rule_id, "notification_receipt_6_weekdays");
  EXPECT_FALSE(report->rules[1].national_latest);
  EXPECT_FALSE(report->rules[1].counts.rate.value);
  EXPECT_FALSE(report->rules[1].counts.rate.suppressed);
}

TEST_F(OverviewTest, RatesPerCaseworkerThenTheUnassigned) {
  Result<RatesReport> report = BuildRatesReport(engine_, obligations_, Rates("K"));
  ASSERT_TRUE(report) << report.error().message;
  std::vector<std::string> rows;
  for (const WorkerRates& w : report->workers) {
    rows.push_back((w.worker_id.empty() ? "-" : w.worker_id) + " " +
                   (w.unit_id.empty() ? "-" : w.unit_id) + " " + Counts(w.by_rule[0]));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"W1 T1 1/1/0/0/0/0", "W2 T1 0/0/1/0/0/0",
                                            "W3 T2 0/0/0/1/1/0", "W4 T3 0/0/0/0/0/0",
                                            "L1 D1 0/0/0/0/0/0", "- - 0/0/1/0/0/0"}));
  RatesRequest without = Rates("D1");
  without.by_worker = false;
  EXPECT_TRUE(BuildRatesReport(engine_, obligations_, without)->workers.empty());
}

TEST_F(OverviewTest, RatesRefuseAnUnknownUnitAndABackwardPeriod) {
  EXPECT_EQ(BuildRatesReport(engine_, obligations_, Rates("X")).error().code, ErrorCode::kNotFound);
  RatesRequest backward = Rates("K");
  backward.period = {kAsOf, DateFromYmd(2025, 1, 1)};
  EXPECT_EQ(BuildRatesReport(engine_, obligations_, backward).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(OverviewTest, AnonymousRatesHideSmallCountsForWholeQuartersOnly) {
  RatesRequest request = Rates("K");
  request.suppress_small_counts = true;
  request.by_worker = false;
  // Not a quarter: refused, as is the split by caseworker.
  EXPECT_EQ(BuildRatesReport(engine_, obligations_, request).error().code,
            ErrorCode::kInvalidArgument);
  request.period = {DateFromYmd(2025, 1, 1), DateFromYmd(2025, 3, 31)};
  request.by_worker = true;
  EXPECT_EQ(BuildRatesReport(engine_, obligations_, request).error().code,
            ErrorCode::kInvalidArgument);
  request.by_worker = false;
  Result<RatesReport> report = BuildRatesReport(engine_, obligations_, request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->suppressed);
  // Q1 2025: C1 met, C2 met late, C7 exempted, C4 open: every count is 1, so hidden; the zeros
  // show, and the rate would reveal the hidden met.
  EXPECT_EQ(Counts(report->rules[0].counts), "x/x/0/x/x/0");
  EXPECT_TRUE(report->rules[0].counts.denominator.suppressed());
  EXPECT_TRUE(report->rules[0].counts.rate.suppressed);
  EXPECT_EQ(Counts(report->rules[1].counts), "0/0/0/0/0/0");
}

TEST_F(OverviewTest, TrendPerQuarter) {
  TrendRequest request{kAsOf, "K", 3, false};
  Result<TrendReport> trend = BuildTrendReport(engine_, obligations_, request);
  ASSERT_TRUE(trend) << trend.error().message;
  ASSERT_EQ(trend->quarters.size(), 3u);
  EXPECT_EQ(trend->quarters[0].label, "K4 2024");
  EXPECT_EQ(trend->quarters[2].label, "K2 2025");
  EXPECT_EQ(trend->quarters[2].period.from, DateFromYmd(2025, 4, 1));
  EXPECT_TRUE(trend->quarters[2].complete);
  const RuleTrend& notification = trend->rules[0];
  EXPECT_EQ(notification.rule_id, "notification_assessed_24h");
  // K4 2024: C5 met; K1 2025: C1 met, C2 late, C7 exempted; K2 2025: C3, C6 overdue. C4's open
  // obligation counts in every quarter.
  EXPECT_EQ(Counts(notification.by_quarter[0]), "1/0/0/1/0/0");
  EXPECT_EQ(Counts(notification.by_quarter[1]), "1/1/0/1/1/0");
  EXPECT_EQ(Counts(notification.by_quarter[2]), "0/0/2/1/0/0");
  EXPECT_EQ(notification.by_quarter[2].rate.value, 0.0);

  request.quarters = 0;
  EXPECT_EQ(BuildTrendReport(engine_, obligations_, request).error().code,
            ErrorCode::kInvalidArgument);
  request.quarters = kMaxTrendQuarters + 1;
  EXPECT_FALSE(BuildTrendReport(engine_, obligations_, request));
}

TEST_F(OverviewTest, AnAnonymousTrendHidesWhatTheQuartersRatesHide) {
  const TrendRequest request{kAsOf, "D1", 3, true};
  Result<TrendReport> trend = BuildTrendReport(engine_, obligations_, request);
  ASSERT_TRUE(trend) << trend.error().message;
  for (size_t q = 0; q < trend->quarters.size(); ++q) {
    RatesRequest rates = Rates("D1");
    rates.period = trend->quarters[q].period;
    rates.by_worker = false;
    rates.suppress_small_counts = true;
    Result<RatesReport> report = BuildRatesReport(engine_, obligations_, rates);
    ASSERT_TRUE(report) << report.error().message;
    for (size_t r = 0; r < report->rules.size(); ++r) {
      EXPECT_EQ(Counts(trend->rules[r].by_quarter[q]), Counts(report->rules[r].counts))
          << trend->quarters[q].label << " " << report->rules[r].rule_id;
    }
  }
}

TEST_F(OverviewTest, CaseloadsAgainstTheRecommendedBand) {
  // Every child's case is open as of 30 June. W1: C1, C2. W2: C3 at FTE 0.5 = 2. W3: C4, C7.
  // W4: C5 at FTE 0.8 = 1.25. L1: none. C6 has no caseworker. All far below 20.
  Result<CaseloadReport> report = BuildCaseloadReport(engine_, CaseloadRequest{kAsOf, "K"});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->band.min_cases, 20);
  EXPECT_EQ(report->band.max_cases, 30);
  std::vector<std::string> rows;
  for (const WorkerCaseloadView& w : report->workers) {
    rows.push_back(w.worker_id + " " + w.unit_id + " " + std::to_string(w.open_cases) + " " +
                   std::to_string(w.cases_per_full_time).substr(0, 4) + " " +
                   std::string(CaseloadLevelName(w.level)));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"W1 T1 2 2.00 below", "W2 T1 1 2.00 below",
                                            "W3 T2 2 2.00 below", "W4 T3 1 1.25 below",
                                            "L1 D1 0 0.00 below"}));
  EXPECT_EQ(report->open_cases, 7);
  EXPECT_EQ(report->unassigned, 1);
  EXPECT_DOUBLE_EQ(report->fte, 4.3);
  EXPECT_EQ(BuildCaseloadReport(engine_, CaseloadRequest{kAsOf, "X"}).error().code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tilsyn

#include "analytics/unit_rates.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "core/calendar.h"

namespace tilsyn {
namespace {

using testing_support::ReadDatasetText;
using testing_support::SourceCatalogue;

class UnitRatesTest : public testing::Test {
 protected:
  UnitRatesTest()
      : data_(ReadDatasetText("unit-rates", TestMunicipality())),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        obligations_(engine_.EvaluateAll(DateFromYmd(2025, 6, 30), 1)),
        rule_(static_cast<uint16_t>(SourceCatalogue().FindRule("notification_assessed_24h"))) {}

  UnitRates For(const std::string& unit) const {
    return ComputeUnitRates(obligations_, data_, SourceCatalogue().rules.size(),
                            unit.empty() ? kNone : data_.FindUnit(unit), kPeriod);
  }
  // "met/met_late/overdue/open/exempted/not_applicable" of the notification rule.
  std::string Counts(const std::vector<StatusCounts>& by_rule) const {
    std::string text;
    for (const int64_t count : by_rule[rule_].count) {
      text += (text.empty() ? "" : "/") + std::to_string(count);
    }
    return text;
  }
  std::vector<std::string> WorkerIds(const UnitRates& rates) const {
    std::vector<std::string> ids;
    for (const uint32_t worker : rates.workers) ids.push_back(data_.workers[worker].id);
    return ids;
  }

  static inline const Period kPeriod{DateFromYmd(2025, 1, 1), DateFromYmd(2025, 6, 30)};
  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
  uint16_t rule_;
};

TEST_F(UnitRatesTest, CountsTheSubtreeOfEachUnit) {
  // test_municipality.h: C1 met, C2 met late, C3 and C6 overdue, C4 open, C7 exempted; C5 is due
  // before the period.
  const UnitRates all = For("K");
  EXPECT_EQ(Counts(all.by_rule), "1/1/2/1/1/0");
  EXPECT_EQ(all.by_rule[rule_].Rate(), 0.25);           // 1 met of 4 in the denominator
  EXPECT_EQ(Counts(For("").by_rule), "1/1/2/1/1/0");    // kNone: every unit
  EXPECT_EQ(Counts(For("D1").by_rule), "1/1/1/1/1/0");  // T1 and T2: all but C6
  EXPECT_EQ(Counts(For("T1").by_rule), "1/1/1/0/0/0");  // C1, C2, C3
  EXPECT_EQ(Counts(For("T2").by_rule), "0/0/0/1/1/0");  // C4, C7
  EXPECT_EQ(Counts(For("D2").by_rule), "0/0/1/0/0/0");  // C6 in the child's team T3
  // No other rule has an obligation.
  for (size_t rule = 0; rule < SourceCatalogue().rules.size(); ++rule) {
    if (rule != rule_) {
      EXPECT_EQ(all.by_rule[rule].Denominator(), 0) << rule;
    }
  }
}

TEST_F(UnitRatesTest, SplitsByCaseworkerWithTheUnassignedApart) {
  const UnitRates all = For("K");
  ASSERT_EQ(WorkerIds(all), (std::vector<std::string>{"W1", "W2", "W3", "W4", "L1"}));
  EXPECT_EQ(Counts(all.by_worker[0]), "1/1/0/0/0/0");  // W1: C1, C2
  EXPECT_EQ(Counts(all.by_worker[1]), "0/0/1/0/0/0");  // W2: C3
  EXPECT_EQ(Counts(all.by_worker[2]), "0/0/0/1/1/0");  // W3: C4, C7
  EXPECT_EQ(Counts(all.by_worker[3]), "0/0/0/0/0/0");  // W4: C5 is before the period
  EXPECT_EQ(Counts(all.by_worker[4]), "0/0/0/0/0/0");  // L1 has no cases
  EXPECT_EQ(Counts(all.unassigned), "0/0/1/0/0/0");    // C6

  // A district lists its own workers only: the leader in D1 and the teams' caseworkers.
  EXPECT_EQ(WorkerIds(For("D1")), (std::vector<std::string>{"W1", "W2", "W3", "L1"}));
  EXPECT_EQ(WorkerIds(For("T3")), (std::vector<std::string>{"W4"}));
  EXPECT_EQ(Counts(For("T3").unassigned), "0/0/1/0/0/0");
}

TEST_F(UnitRatesTest, AgreesWithTheBreakdownOfRulesRates) {
  const RateBreakdown breakdown =
      ComputeRateBreakdown(obligations_, data_, SourceCatalogue().rules.size(), kPeriod);
  for (uint32_t unit = 0; unit < data_.units.size(); ++unit) {
    const UnitRates rates = For(data_.units[unit].id);
    for (size_t rule = 0; rule < rates.by_rule.size(); ++rule) {
      EXPECT_EQ(rates.by_rule[rule].count, breakdown.by_unit[unit][rule].count);
      for (size_t i = 0; i < rates.workers.size(); ++i) {
        EXPECT_EQ(rates.by_worker[i][rule].count,
                  breakdown.by_worker[rates.workers[i]][rule].count);
      }
    }
  }
}

}  // namespace
}  // namespace tilsyn

#include "analytics/obligation_query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "analytics/unit_rates.h"
#include "core/calendar.h"

namespace tilsyn {
namespace {

using testing_support::ReadDatasetText;
using testing_support::SourceCatalogue;

const Period kPeriod{DateFromYmd(2025, 1, 1), DateFromYmd(2025, 6, 30)};

class ObligationQueryTest : public testing::Test {
 protected:
  ObligationQueryTest()
      : data_(ReadDatasetText("obligation-query", TestMunicipality())),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        obligations_(engine_.EvaluateAll(DateFromYmd(2025, 6, 30), 1)) {}

  ObligationFilter Filter(std::string_view statuses, std::string_view unit = "") const {
    ObligationFilter filter;
    filter.period = kPeriod;
    filter.statuses = ParseStatusSet(statuses).value();
    filter.unit = unit.empty() ? kNone : data_.FindUnit(unit);
    return filter;
  }
  // The children of a page's rows, in order.
  std::vector<std::string> Children(const ObligationPage& page) const {
    std::vector<std::string> ids;
    for (const Obligation& o : page.rows) ids.push_back(data_.children[o.child].id);
    return ids;
  }
  ObligationPage Query(const ObligationFilter& filter, PageRequest page = {}) const {
    return QueryObligations(obligations_, data_, filter, page);
  }

  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
};

using Ids = std::vector<std::string>;

TEST_F(ObligationQueryTest, ListsTheObligationsBehindACountByDueTime) {
  // test_municipality.h. Overdue: C3 due 02 Apr 08:00, C6 due 06 May 10:00.
  ObligationPage overdue = Query(Filter("overdue"));
  EXPECT_EQ(overdue.total, 2u);
  EXPECT_EQ(Children(overdue), (Ids{"C3", "C6"}));
  // The denominator of D1: C1 (due 04 Feb), C2 (04 Mar), C3 (02 Apr).
  ObligationPage denominator = Query(Filter("denominator", "D1"));
  EXPECT_EQ(denominator.total, 3u);
  EXPECT_EQ(Children(denominator), (Ids{"C1", "C2", "C3"}));
  // Everything that counts for the period: C5 (due Nov 2024) does not.
  EXPECT_EQ(Children(Query(Filter("all"))), (Ids{"C7", "C1", "C2", "C3", "C6", "C4"}));
  EXPECT_EQ(Children(Query(Filter("done"))), (Ids{"C1", "C2"}));
  EXPECT_EQ(Children(Query(Filter("pending"))), (Ids{"C3", "C6", "C4"}));
  EXPECT_EQ(Children(Query(Filter("exempted", "T2"))), (Ids{"C7"}));
}

TEST_F(ObligationQueryTest, FiltersByWorkerAndByRule) {
  ObligationFilter filter = Filter("all");
  filter.worker = data_.FindWorker("W3");
  EXPECT_EQ(Children(Query(filter)), (Ids{"C7", "C4"}));
  filter.worker = kNone;  // those without a caseworker
  EXPECT_EQ(Children(Query(filter)), (Ids{"C6"}));
  filter.worker.reset();
  filter.rule = static_cast<uint16_t>(SourceCatalogue().FindRule("reasoned_decision"));
  EXPECT_EQ(Query(filter).total, 0u);
}

TEST_F(ObligationQueryTest, PagesWithoutOverlapOrGap) {
  const ObligationFilter filter = Filter("all");
  EXPECT_EQ(Children(Query(filter, {0, 4})), (Ids{"C7", "C1", "C2", "C3"}));
  ObligationPage second = Query(filter, {4, 4});
  EXPECT_EQ(second.total, 6u);
  EXPECT_EQ(Children(second), (Ids{"C6", "C4"}));
  ObligationPage beyond = Query(filter, {6, 4});
  EXPECT_EQ(beyond.total, 6u);
  EXPECT_TRUE(beyond.rows.empty());
}

TEST(StatusSetTest, ReadsStatusesAndGroups) {
  EXPECT_EQ(ParseStatusSet("denominator"), StatusSet::Denominator());
  EXPECT_EQ(ParseStatusSet("met_late"), StatusSet({ObligationStatus::kMetLate}));
  EXPECT_FALSE(ParseStatusSet("late"));
  for (const std::string_view name : StatusSetNames()) EXPECT_TRUE(ParseStatusSet(name)) << name;
  StatusCounts counts;
  counts.count = {10, 4, 3, 2, 1, 5};
  EXPECT_EQ(StatusSet::Denominator().CountIn(counts), 17);
  EXPECT_EQ(StatusSet::Done().CountIn(counts), 14);
  EXPECT_EQ(StatusSet::Pending().CountIn(counts), 5);
  EXPECT_EQ(StatusSet::All().CountIn(counts), 25);
}

// The property the API promises: the list behind a count has exactly that many rows, for every
// rule, every status and group, every unit and every caseworker, on a generated municipality.
TEST(ObligationQueryPropertyTest, EveryListHasAsManyRowsAsItsCount) {
  const Dataset data =
      testing_support::ReadSyntheticDataset("query-property", testing_support::Synthetic(500, 3));
  const Engine engine(data, SourceCatalogue(), Calendar::Danish());
  const std::vector<Obligation> obligations = engine.EvaluateAll(DateFromYmd(2025, 3, 31), 1);
  const Period period{DateFromYmd(2024, 4, 1), DateFromYmd(2025, 3, 31)};
  const size_t rule_count = SourceCatalogue().rules.size();
  const RateBreakdown breakdown = ComputeRateBreakdown(obligations, data, rule_count, period);
  const UnitRates rates = ComputeUnitRates(obligations, data, rule_count, kNone, period);

  size_t non_empty = 0;
  for (const std::string_view name : StatusSetNames()) {
    const StatusSet statuses = ParseStatusSet(name).value();
    for (uint16_t rule = 0; rule < rule_count; ++rule) {
      ObligationFilter filter;
      filter.period = period;
      filter.statuses = statuses;
      filter.rule = rule;
      for (uint32_t unit = 0; unit < data.units.size(); ++unit) {
        filter.unit = unit;
        const int64_t count = statuses.CountIn(breakdown.by_unit[unit][rule]);
        const ObligationPage page = QueryObligations(obligations, data, filter, {0, 1u << 20});
        ASSERT_EQ(page.total, static_cast<size_t>(count))
            << name << " " << SourceCatalogue().rules[rule].id << " " << data.units[unit].id;
        ASSERT_EQ(page.rows.size(), page.total);
        non_empty += count > 0 ? 1 : 0;
      }
      filter.unit = kNone;
      for (uint32_t worker = 0; worker < data.workers.size(); ++worker) {
        filter.worker = worker;
        const int64_t count = statuses.CountIn(breakdown.by_worker[worker][rule]);
        ASSERT_EQ(QueryObligations(obligations, data, filter, {0, 0}).total,
                  static_cast<size_t>(count))
            << name << " " << SourceCatalogue().rules[rule].id << " " << data.workers[worker].id;
      }
      // Those without a caseworker, as ComputeUnitRates counts them apart.
      filter.worker = kNone;
      ASSERT_EQ(QueryObligations(obligations, data, filter, {0, 0}).total,
                static_cast<size_t>(statuses.CountIn(rates.unassigned[rule])));
    }
  }
  // The data exercises the property: most rule × status × unit cells are not empty.
  EXPECT_GT(non_empty, 400u);
}

}  // namespace
}  // namespace tilsyn

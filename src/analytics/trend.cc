#include "analytics/trend.h"

#include "analytics/scope.h"

namespace tilsyn {

Period Quarter::period() const {
  const Date first = DateFromYmd(year, 3 * (number - 1) + 1, 1);
  return Period{first, AddDays(AddMonths(first, 3), -1)};
}

Quarter QuarterOf(Date day) {
  const YearMonthDay ymd = ToYmd(day);
  return Quarter{ymd.year, (ymd.month - 1) / 3 + 1};
}

std::vector<Quarter> QuartersUpTo(Date as_of, int count) {
  std::vector<Quarter> quarters;
  if (count <= 0) return quarters;
  // Quarters as numbers: year * 4 + (number - 1).
  const Quarter last = QuarterOf(as_of);
  const int last_index = last.year * 4 + last.number - 1;
  for (int index = last_index - count + 1; index <= last_index; ++index) {
    quarters.push_back(Quarter{index / 4, index % 4 + 1});
  }
  return quarters;
}

std::vector<QuarterRates> ComputeTrend(std::span<const Obligation> obligations, const Dataset& data,
                                       size_t rule_count, uint32_t unit, Date as_of, int count) {
  const UnitSubtree subtree(data, unit);
  std::vector<QuarterRates> trend;
  std::vector<Period> periods;
  for (const Quarter& quarter : QuartersUpTo(as_of, count)) {
    periods.push_back(quarter.period());
    trend.push_back({quarter, periods.back().to <= as_of, std::vector<StatusCounts>(rule_count)});
  }
  for (const Obligation& obligation : obligations) {
    if (!subtree.Contains(obligation.unit)) continue;
    for (size_t q = 0; q < trend.size(); ++q) {
      if (CountsFor(obligation, periods[q])) trend[q].by_rule[obligation.rule].Add(obligation);
    }
  }
  return trend;
}

}  // namespace tilsyn

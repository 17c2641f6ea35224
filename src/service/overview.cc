#include "service/overview.h"

#include <fmt/format.h>

#include "analytics/scope.h"
#include "analytics/trend.h"
#include "analytics/unit_rates.h"
#include "service/lookup.h"

namespace tilsyn {
namespace {

std::optional<NationalFigure> LatestFigure(const Rule& rule) {
  const NationalFigure* latest = rule.LatestNationalFigure();
  return latest == nullptr ? std::nullopt : std::optional<NationalFigure>(*latest);
}

std::string QuarterLabel(const Quarter& quarter) {
  return fmt::format("K{} {}", quarter.number, quarter.year);
}

// Anonymous figures are given per whole calendar quarter only and per unit, never per
// caseworker, all suppressed over the organisation at once (SuppressUnitTree): figures for any
// two periods or units then hide the same cells, so no difference between two answers reveals a
// hidden count. (A period one day longer, or a year beside its quarters, would.)
Status CheckAnonymous(const Period& period, bool by_worker) {
  const Quarter quarter = QuarterOf(period.from);
  if (!(quarter.period().from == period.from && quarter.period().to == period.to)) {
    return InvalidArgument(
        fmt::format("anonymous figures are given for whole calendar quarters only, not {} to {}",
                    FormatDate(period.from), FormatDate(period.to)));
  }
  if (by_worker) return InvalidArgument("anonymous figures are not split by caseworker");
  return {};
}

// The suppressed counts per rule of `unit` over `period` (kNone: the only top unit).
Result<std::vector<ShownCounts>> AnonymousCounts(const Engine& engine,
                                                 std::span<const Obligation> obligations,
                                                 uint32_t unit, const Period& period) {
  const Dataset& data = engine.data();
  if (unit == kNone) {
    for (uint32_t u = 0; u < data.units.size(); ++u) {
      if (data.units[u].parent != kNone) continue;
      if (unit != kNone) {
        return InvalidArgument("the data holds several municipalities: name a unit");
      }
      unit = u;
    }
  }
  const RateBreakdown breakdown =
      ComputeRateBreakdown(obligations, data, engine.catalogue().rules.size(), period);
  return SuppressUnitTree(data, breakdown.by_unit)[unit];
}

std::vector<ShownCounts> ShowEach(std::span<const StatusCounts> counts) {
  std::vector<ShownCounts> shown;
  shown.reserve(counts.size());
  for (const StatusCounts& c : counts) shown.push_back(ShowAll(c));
  return shown;
}

bool AnyObligation(std::span<const StatusCounts> by_rule) {
  for (const StatusCounts& counts : by_rule) {
    for (const int64_t count : counts.count) {
      if (count > 0) return true;
    }
  }
  return false;
}

}  // namespace

Result<RatesReport> BuildRatesReport(const Engine& engine, std::span<const Obligation> obligations,
                                     const RatesRequest& request) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  Result<uint32_t> unit = ResolveUnit(data, request.unit_id);
  if (!unit) return unit.error();
  if (Status period = CheckPeriod(request.period); !period) return period.error();
  if (request.suppress_small_counts) {
    if (Status anonymous = CheckAnonymous(request.period, request.by_worker); !anonymous) {
      return anonymous.error();
    }
  }

  RatesReport report;
  report.as_of = request.as_of;
  report.period = request.period;
  report.unit_id = request.unit_id;
  report.unit_name = *unit == kNone ? "" : data.units[*unit].name;
  report.suppressed = request.suppress_small_counts;

  std::vector<ShownCounts> totals;
  if (request.suppress_small_counts) {
    Result<std::vector<ShownCounts>> anonymous =
        AnonymousCounts(engine, obligations, *unit, request.period);
    if (!anonymous) return anonymous.error();
    totals = std::move(anonymous).value();
  } else {
    const UnitRates rates =
        ComputeUnitRates(obligations, data, catalogue.rules.size(), *unit, request.period);
    totals = ShowEach(rates.by_rule);
    if (request.by_worker) {
      for (size_t i = 0; i < rates.workers.size(); ++i) {
        const Worker& worker = data.workers[rates.workers[i]];
        report.workers.push_back({worker.id, worker.name, data.units[worker.unit].id,
                                  data.units[worker.unit].name, ShowEach(rates.by_worker[i])});
      }
      if (AnyObligation(rates.unassigned)) {
        report.workers.push_back({"", "", "", "", ShowEach(rates.unassigned)});
      }
    }
  }
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const Rule& rule = catalogue.rules[r];
    report.rules.push_back({rule.id, rule.name, rule.national_measure, totals[r],
                            LatestFigure(rule), rule.national_figures});
  }
  return report;
}

Result<TrendReport> BuildTrendReport(const Engine& engine, std::span<const Obligation> obligations,
                                     const TrendRequest& request) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  Result<uint32_t> unit = ResolveUnit(data, request.unit_id);
  if (!unit) return unit.error();
  if (request.quarters < 1 || request.quarters > kMaxTrendQuarters) {
    return InvalidArgument(
        fmt::format("quarters must be from 1 to {}, not {}", kMaxTrendQuarters, request.quarters));
  }

  TrendReport report;
  report.as_of = request.as_of;
  report.unit_id = request.unit_id;
  report.unit_name = *unit == kNone ? "" : data.units[*unit].name;
  report.suppressed = request.suppress_small_counts;
  for (const Rule& rule : catalogue.rules) {
    report.rules.push_back({rule.id, rule.name, LatestFigure(rule), {}});
  }
  const std::vector<QuarterRates> trend = ComputeTrend(obligations, data, catalogue.rules.size(),
                                                       *unit, request.as_of, request.quarters);
  for (const QuarterRates& quarter : trend) {
    const Period period = quarter.quarter.period();
    report.quarters.push_back({quarter.quarter.year, quarter.quarter.number,
                               QuarterLabel(quarter.quarter), period, quarter.complete});
    std::vector<ShownCounts> shown;
    if (request.suppress_small_counts) {
      // The same suppression as the rates of that quarter (BuildRatesReport).
      Result<std::vector<ShownCounts>> anonymous =
          AnonymousCounts(engine, obligations, *unit, period);
      if (!anonymous) return anonymous.error();
      shown = std::move(anonymous).value();
    } else {
      shown = ShowEach(quarter.by_rule);
    }
    for (size_t r = 0; r < catalogue.rules.size(); ++r) {
      report.rules[r].by_quarter.push_back(shown[r]);
    }
  }
  return report;
}

Result<CaseloadReport> BuildCaseloadReport(const Engine& engine, const CaseloadRequest& request) {
  const Dataset& data = engine.data();
  Result<uint32_t> unit = ResolveUnit(data, request.unit_id);
  if (!unit) return unit.error();
  Result<CaseloadBand> band = RecommendedCaseload(engine.catalogue());
  if (!band) return band.error();

  const Caseloads caseloads =
      ComputeCaseloads(data, UnitSubtree(data, *unit), request.as_of, *band);
  CaseloadReport report;
  report.as_of = request.as_of;
  report.unit_id = request.unit_id;
  report.unit_name = *unit == kNone ? "" : data.units[*unit].name;
  report.band = *band;
  for (const WorkerCaseload& caseload : caseloads.workers) {
    const Worker& worker = data.workers[caseload.worker];
    report.workers.push_back({worker.id, worker.name, data.units[worker.unit].id,
                              data.units[worker.unit].name, caseload.open_cases, caseload.fte,
                              caseload.cases_per_full_time, caseload.level});
  }
  report.open_cases = caseloads.open_cases;
  report.unassigned = caseloads.unassigned;
  report.fte = caseloads.fte;
  return report;
}

}  // namespace tilsyn

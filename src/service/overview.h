#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/caseload.h"
#include "analytics/suppression.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// What a leader's overview ("Overblik") shows for a unit: the rates per rule with the national
// figures, the split by caseworker, the trend per quarter and the caseloads. Every function takes
// the engine and, where it counts obligations, the engine's obligations as of the request's
// as-of date (EvaluateAll(as_of)); it is pure and reads no clock, store or file.

struct RatesRequest {
  Date as_of;
  Period period;          // deadlines in this period (CountsFor); open obligations always count
  std::string unit_id;    // the unit's subtree; empty: every unit
  bool by_worker = true;  // also the split by caseworker
  // An anonymous output (the committee's): counts under 5 hidden, and what would reveal them,
  // suppressed over the whole organisation at once (SuppressUnitTree). Needs a period that is one
  // whole calendar quarter and by_worker false: then no two answers, for whatever units and
  // quarters, differ by a hidden count.
  bool suppress_small_counts = false;
};

// One rule's figures.
struct RuleRates {
  std::string rule_id;
  std::string rule_name;         // Danish
  std::string national_measure;  // Ankestyrelsen's wording; empty when not measured nationally
  ShownCounts counts;
  std::optional<NationalFigure> national_latest;  // the newest barometer figure, if any
  std::vector<NationalFigure> national_series;    // all of them, oldest first
};

// One caseworker's figures per rule; the row with an empty worker_id holds the obligations that
// had no caseworker at their due time (in the child's unit).
struct WorkerRates {
  std::string worker_id;
  std::string worker_name;
  std::string unit_id;
  std::string unit_name;
  std::vector<ShownCounts> by_rule;  // [catalogue rule]
};

struct RatesReport {
  Date as_of;
  Period period;
  std::string unit_id;  // empty: every unit
  std::string unit_name;
  bool suppressed = false;       // small counts are hidden
  std::vector<RuleRates> rules;  // catalogue order, every rule (also those with no obligation)
  // When asked for: the subtree's workers in data order, then the row without a caseworker when
  // it has any obligation. For each rule and status they add up to the rule's counts.
  std::vector<WorkerRates> workers;
};

// The rates per rule of a unit's subtree over a period. kNotFound for an unknown unit,
// kInvalidArgument for a period that ends before it begins, or for an anonymous request that is
// not for one whole quarter or asks for the split by caseworker.
Result<RatesReport> BuildRatesReport(const Engine& engine, std::span<const Obligation> obligations,
                                     const RatesRequest& request);

struct TrendRequest {
  Date as_of;
  std::string unit_id;  // the unit's subtree; empty: every unit
  int quarters = 8;     // how many quarters, up to and including the one holding as_of
  bool suppress_small_counts = false;
};

struct QuarterInfo {
  int year = 0;
  int number = 1;     // 1-4
  std::string label;  // Danish: "K1 2025"
  Period period;
  bool complete = false;  // ended on or before the as-of date; else counted to date
};

// One rule over the quarters.
struct RuleTrend {
  std::string rule_id;
  std::string rule_name;
  std::optional<NationalFigure> national_latest;
  std::vector<ShownCounts> by_quarter;  // parallel to TrendReport::quarters
};

// The rates per quarter, for a chart. Every quarter is counted from the same obligations, those as
// of the request's as-of date: each quarter shows what is known now about the deadlines that fell
// in it (analytics/trend.h says why).
struct TrendReport {
  Date as_of;
  std::string unit_id;
  std::string unit_name;
  bool suppressed = false;
  std::vector<QuarterInfo> quarters;  // oldest first
  std::vector<RuleTrend> rules;       // catalogue order
};

// kNotFound for an unknown unit; kInvalidArgument unless 1 <= quarters <= kMaxTrendQuarters.
// Suppressed, each quarter hides the same cells as the rates of that quarter.
Result<TrendReport> BuildTrendReport(const Engine& engine, std::span<const Obligation> obligations,
                                     const TrendRequest& request);
inline constexpr int kMaxTrendQuarters = 40;

struct CaseloadRequest {
  Date as_of;
  std::string unit_id;  // the unit's subtree; empty: every unit
};

struct WorkerCaseloadView {
  std::string worker_id;
  std::string worker_name;
  std::string unit_id;
  std::string unit_name;
  int64_t open_cases = 0;
  double fte = 1.0;
  double cases_per_full_time = 0.0;  // open_cases ÷ fte
  CaseloadLevel level = CaseloadLevel::kBelow;
};

// Open cases per caseworker, against the recommended band (rules/local_standards.toml).
struct CaseloadReport {
  Date as_of;
  std::string unit_id;
  std::string unit_name;
  CaseloadBand band;
  std::vector<WorkerCaseloadView> workers;  // every worker of the subtree, in data order
  int64_t open_cases = 0;                   // in the subtree, with or without a caseworker
  int64_t unassigned = 0;                   // of them, without a caseworker
  double fte = 0.0;                         // the workers' FTE added up
};

// kNotFound for an unknown unit; kFailedPrecondition when the local standards lack the band.
Result<CaseloadReport> BuildCaseloadReport(const Engine& engine, const CaseloadRequest& request);

}  // namespace tilsyn

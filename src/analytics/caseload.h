#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "analytics/scope.h"
#include "core/dataset.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/catalogue.h"

namespace tilsyn {

// The recommended open cases per full-time caseworker, inclusive at both ends.
struct CaseloadBand {
  int min_cases = 0;
  int max_cases = 0;
};

// The band of the catalogue's local standards (caseload_recommended_min and _max in
// rules/local_standards.toml); an error when either is missing or min is above max.
Result<CaseloadBand> RecommendedCaseload(const Catalogue& catalogue);

enum class CaseloadLevel : uint8_t { kBelow, kWithin, kAbove };
std::string_view CaseloadLevelName(CaseloadLevel level);    // "below", "within", "above"
std::string_view CaseloadLevelDanish(CaseloadLevel level);  // "under anbefalet", …

// Where `cases_per_full_time` lies against `band`.
CaseloadLevel LevelOf(double cases_per_full_time, const CaseloadBand& band);

struct WorkerCaseload {
  uint32_t worker = kNone;
  int64_t open_cases = 0;
  double fte = 1.0;
  double cases_per_full_time = 0.0;  // open_cases ÷ fte
  CaseloadLevel level = CaseloadLevel::kBelow;
};

// The open cases of a unit's subtree as of a date, per caseworker.
struct Caseloads {
  // Every worker of the subtree, in data order, also those without cases (leaders are workers
  // too; the data does not tell them apart).
  std::vector<WorkerCaseload> workers;
  int64_t open_cases = 0;  // open cases whose current unit (CaseState::unit) is in the subtree
  int64_t unassigned = 0;  // of them, those without a caseworker
  double fte = 0.0;        // the workers' FTE added up
};

// Counts the open cases (CaseState::open) as of the end of `as_of` of every child whose current
// unit is in `subtree`, by current caseworker, and places each worker against `band`.
Caseloads ComputeCaseloads(const Dataset& data, const UnitSubtree& subtree, Date as_of,
                           const CaseloadBand& band);

}  // namespace tilsyn

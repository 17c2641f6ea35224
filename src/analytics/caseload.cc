#include "analytics/caseload.h"

#include <array>

#include "analytics/case_state.h"

namespace tilsyn {
namespace {

constexpr std::string_view kMinKey = "caseload_recommended_min";
constexpr std::string_view kMaxKey = "caseload_recommended_max";

constexpr std::array<std::string_view, 3> kLevelNames = {"below", "within", "above"};
constexpr std::array<std::string_view, 3> kLevelDanish = {"under anbefalet", "inden for anbefalet",
                                                          "over anbefalet"};

}  // namespace

Result<CaseloadBand> RecommendedCaseload(const Catalogue& catalogue) {
  const auto min = catalogue.local_standards.find(std::string(kMinKey));
  const auto max = catalogue.local_standards.find(std::string(kMaxKey));
  if (min == catalogue.local_standards.end() || max == catalogue.local_standards.end() ||
      min->second > max->second) {
    return FailedPrecondition(
        "local_standards.toml needs caseload_recommended_min and caseload_recommended_max (open "
        "cases per full-time caseworker), the min not above the max");
  }
  return CaseloadBand{min->second, max->second};
}

std::string_view CaseloadLevelName(CaseloadLevel level) {
  return kLevelNames[static_cast<size_t>(level)];
}

std::string_view CaseloadLevelDanish(CaseloadLevel level) {
  return kLevelDanish[static_cast<size_t>(level)];
}

CaseloadLevel LevelOf(double cases_per_full_time, const CaseloadBand& band) {
  if (cases_per_full_time < band.min_cases) return CaseloadLevel::kBelow;
  if (cases_per_full_time > band.max_cases) return CaseloadLevel::kAbove;
  return CaseloadLevel::kWithin;
}

Caseloads ComputeCaseloads(const Dataset& data, const UnitSubtree& subtree, Date as_of,
                           const CaseloadBand& band) {
  Caseloads result;
  std::vector<uint32_t> slot_of_worker(data.workers.size(), kNone);
  for (uint32_t worker = 0; worker < data.workers.size(); ++worker) {
    if (!subtree.Contains(data.workers[worker].unit)) continue;
    slot_of_worker[worker] = static_cast<uint32_t>(result.workers.size());
    result.workers.push_back({.worker = worker, .fte = data.workers[worker].fte});
    result.fte += data.workers[worker].fte;
  }
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    const CaseState state = ChildCaseState(data, child, as_of);
    if (!state.open() || !subtree.Contains(state.unit)) continue;
    ++result.open_cases;
    if (state.worker == kNone) {
      ++result.unassigned;
    } else {
      // The current unit is the worker's unit, so the worker is one of the subtree's.
      ++result.workers[slot_of_worker[state.worker]].open_cases;
    }
  }
  for (WorkerCaseload& worker : result.workers) {
    worker.cases_per_full_time = static_cast<double>(worker.open_cases) / worker.fte;
    worker.level = LevelOf(worker.cases_per_full_time, band);
  }
  return result;
}

}  // namespace tilsyn

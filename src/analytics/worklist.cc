#include "analytics/worklist.h"

#include "analytics/case_state.h"
#include "analytics/obligation_query.h"

namespace tilsyn {
namespace {

enum class ChildFit : uint8_t { kUnknown, kYes, kNo };

}  // namespace

std::vector<Obligation> ComputeWorklist(std::span<const Obligation> obligations,
                                        const Dataset& data, uint32_t worker, Date as_of,
                                        const WorklistFilter& filter) {
  const std::optional<Date> last_due_day =
      filter.due_within_days ? std::optional<Date>(AddDays(as_of, *filter.due_within_days))
                             : std::nullopt;
  // Whether each child is this caseworker's (and open, unless closed cases are wanted), worked out
  // once per child that has something to do.
  std::vector<ChildFit> fit(data.children.size(), ChildFit::kUnknown);
  std::vector<uint32_t> positions;
  for (uint32_t i = 0; i < obligations.size(); ++i) {
    const Obligation& obligation = obligations[i];
    if (!StatusSet::Pending().Contains(obligation.status)) continue;
    if (filter.overdue_only && obligation.status != ObligationStatus::kOverdue) continue;
    if (filter.rule && obligation.rule != *filter.rule) continue;
    if (last_due_day && obligation.due_day > *last_due_day) continue;
    ChildFit& child_fit = fit[obligation.child];
    if (child_fit == ChildFit::kUnknown) {
      const CaseState state = ChildCaseState(data, obligation.child, as_of);
      child_fit = state.worker == worker && (state.open() || filter.include_closed_cases)
                      ? ChildFit::kYes
                      : ChildFit::kNo;
    }
    if (child_fit == ChildFit::kYes) positions.push_back(i);
  }
  SortObligationPositions(obligations, data, true, positions, positions.size());
  std::vector<Obligation> worklist;
  worklist.reserve(positions.size());
  for (const uint32_t position : positions) worklist.push_back(obligations[position]);
  return worklist;
}

}  // namespace tilsyn

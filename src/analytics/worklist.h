#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/dataset.h"
#include "core/time.h"
#include "rules/engine.h"

namespace tilsyn {

struct WorklistFilter {
  std::optional<uint16_t> rule;  // only this catalogue rule
  // Only obligations due by the end of as-of + this many days; overdue ones are always due by then.
  std::optional<int> due_within_days;
  bool overdue_only = false;
  // Also the obligations of closed cases (left out by default: nothing more happens in them).
  bool include_closed_cases = false;
};

// A caseworker's worklist as of the end of `as_of`: the open and overdue obligations of the
// children whose current caseworker (CaseState::worker as of `as_of`) is `worker`, overdue first,
// then by due time (then rule, child id, trigger id). The child's current caseworker, not the one
// the obligation is attributed to at its due time, is the one who must act now; so an overdue
// obligation follows the child to a new caseworker. `obligations` are the engine's as of `as_of`.
std::vector<Obligation> ComputeWorklist(std::span<const Obligation> obligations,
                                        const Dataset& data, uint32_t worker, Date as_of,
                                        const WorklistFilter& filter);

}  // namespace tilsyn

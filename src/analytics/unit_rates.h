#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/dataset.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// The counts per rule of one unit's subtree over a period, and how they split by caseworker.
// Every obligation that counts (CountsFor) and whose unit is in the subtree is in `by_rule` and in
// exactly one of `by_worker` or `unassigned`, so for every rule and status the workers' counts
// plus the unassigned ones add up to the subtree's.
struct UnitRates {
  std::vector<StatusCounts> by_rule;  // [rule]
  // The subtree's workers in data order, then any other worker an obligation in the subtree is
  // attributed to (none while obligations carry their worker's unit).
  std::vector<uint32_t> workers;
  std::vector<std::vector<StatusCounts>> by_worker;  // parallel to `workers`: [i][rule]
  std::vector<StatusCounts> unassigned;              // [rule]: no caseworker at the due time
};

// Counts `obligations` (as the engine gives them, any order) for the subtree of `unit` (kNone:
// every unit) over `period`, with the same predicate and counting as rules/rates.h.
UnitRates ComputeUnitRates(std::span<const Obligation> obligations, const Dataset& data,
                           size_t rule_count, uint32_t unit, const Period& period);

}  // namespace tilsyn

#pragma once

#include <cstdint>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/result.h"

namespace tilsyn {

// What an import changes in a store, worked out in memory from what is stored and what came in.
// Master data (units, workers, children) describes the organisation as the newest export has it:
// a new record is added and a changed one updated. Events are append-only: a new one is added, the
// same one again is nothing, and a changed one is an error, because registrations are corrected
// with retraction events. Records in the store that an export lacks stay.
struct ImportPlan {
  // Positions in the incoming data set.
  std::vector<uint32_t> units_added, units_updated;
  std::vector<uint32_t> workers_added, workers_updated;
  std::vector<uint32_t> children_added, children_updated;
  std::vector<uint32_t> events_added;  // in the incoming data set's order
  size_t units_unchanged = 0, workers_unchanged = 0, children_unchanged = 0;
  size_t events_unchanged = 0;
  size_t stored_events_not_in_import = 0;

  bool ChangesNothing() const {
    return units_added.empty() && units_updated.empty() && workers_added.empty() &&
           workers_updated.empty() && children_added.empty() && children_updated.empty() &&
           events_added.empty();
  }
};

// The plan for bringing `incoming` (a data set read from files, with its source rows) into a store
// holding `stored` (loaded with details). An Error of kind kInvalidArgument lists every event that
// differs from its stored version as "file:row:column: message", and any cycle the updated units
// would form with units only the store has; at most `max_errors` lines.
Result<ImportPlan> PlanImport(const Dataset& stored, const Dataset& incoming,
                              const Calendar& calendar, size_t max_errors = 100);

}  // namespace tilsyn

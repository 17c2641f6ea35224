#pragma once

#include <cstdint>
#include <optional>

#include "core/dataset.h"
#include "core/time.h"

namespace tilsyn {

// A child's case as its events show it at the end of a date. A case opens with the child's first
// case step, or the first one after a closure that starts new casework, and closes with
// `case_closed` (interchange.md). After a closure, the answers to an earlier notification
// (acknowledgement, feedback to the notifier), the end of a measure and a handover to another
// caseworker finish or record old work and do not reopen the case. Exemptions and retractions are
// registrations about other events, not case steps; retracted events do not exist; events dated
// after the date are not known yet.
struct CaseState {
  // The day the current case opened, or the last case if it is closed; empty when the child has
  // no known case step.
  std::optional<Date> opened;
  // The day the case closed; empty while it is open.
  std::optional<Date> closed;
  // The caseworker of the latest known `worker_assigned`, or kNone; kept after closure, so a
  // reopened case is the last caseworker's until someone else is assigned.
  uint32_t worker = kNone;
  // The caseworker's unit, or the child's unit when no caseworker is assigned.
  uint32_t unit = kNone;

  bool open() const { return opened.has_value() && !closed.has_value(); }
};

// The case of `child` as of the end of `as_of`.
CaseState ChildCaseState(const Dataset& data, uint32_t child, Date as_of);

}  // namespace tilsyn

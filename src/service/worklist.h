#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "rules/engine.h"
#include "service/obligation_view.h"

namespace tilsyn {

// A caseworker's "Mine sager": what is overdue and what falls due, with the next step of each.
struct WorklistRequest {
  Date as_of;
  std::string worker_id;
  std::string rule_id;                 // empty: every rule
  std::optional<int> due_within_days;  // only what is due by the end of as-of + N days (N >= 0)
  bool overdue_only = false;
  bool include_closed_cases = false;  // also the obligations of the caseworker's closed cases
};

struct WorklistItem {
  ObligationView obligation;  // with its Danish next_step
  int days_to_due = 0;        // due date minus the as-of date: negative when overdue
};

struct Worklist {
  Date as_of;
  std::string worker_id;
  std::string worker_name;
  std::vector<WorklistItem> items;  // overdue first, then by due time
};

// The open and overdue obligations of the children whose current caseworker is the worker
// (analytics/worklist.h). `obligations` are the engine's as of `as_of`. kNotFound for an unknown
// worker; kInvalidArgument for an unknown rule or a negative number of days.
Result<Worklist> BuildWorklist(const Engine& engine, std::span<const Obligation> obligations,
                               const WorklistRequest& request);

}  // namespace tilsyn

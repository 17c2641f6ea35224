#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/obligation_query.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/engine.h"
#include "rules/rates.h"
#include "service/obligation_view.h"

namespace tilsyn {

// The obligations behind a count of a rates report, a trend or a caseworker's row: the same
// filters give a list whose total is exactly the count (analytics/obligation_query.h).
struct ObligationListRequest {
  Date as_of;
  Period period;
  std::string rule_id;         // empty: every rule
  std::string status = "all";  // a status or group name (ParseStatusSet): "overdue", "denominator"
  std::string unit_id;         // the unit's subtree; empty: every unit
  // Only this caseworker's; an empty string: only those without a caseworker (the row with an
  // empty worker_id of RatesReport::workers); unset: any.
  std::optional<std::string> worker_id;
  PageRequest page;
};

struct ObligationList {
  size_t total = 0;  // how many match in all
  size_t offset = 0;
  std::vector<ObligationView> rows;  // by due time, then rule, child id, trigger id
};

// One page of the matching obligations. `obligations` are the engine's as of `as_of`. kNotFound
// for an unknown unit or worker; kInvalidArgument for an unknown rule or status, or a period that
// ends before it begins.
Result<ObligationList> ListObligations(const Engine& engine,
                                       std::span<const Obligation> obligations,
                                       const ObligationListRequest& request);

}  // namespace tilsyn

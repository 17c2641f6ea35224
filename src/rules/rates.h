#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/dataset.h"
#include "core/time.h"
#include "rules/engine.h"

namespace tilsyn {

// An inclusive range of dates; obligations are selected by the local date of their due time.
struct Period {
  Date from;
  Date to;
  bool Contains(Date day) const { return from <= day && day <= to; }
};

// Obligations counted by status, for one rule in one group.
struct StatusCounts {
  std::array<int64_t, kObligationStatusCount> count{};
  int64_t time_assumed = 0;

  int64_t Of(ObligationStatus status) const { return count[static_cast<size_t>(status)]; }
  // met + met_late + overdue: the obligations the rate is measured on.
  int64_t Denominator() const;
  // met + met_late: done at all.
  int64_t Done() const;
  // met / (met + met_late + overdue); empty when the denominator is 0.
  std::optional<double> Rate() const;
  void Add(const Obligation& obligation);
  StatusCounts& operator+=(const StatusCounts& other);
};

// Whether an obligation belongs to a period's figures: its due date is in the period, or it is
// still open (so that a count and the list behind it always agree).
inline bool CountsFor(const Obligation& obligation, const Period& period) {
  return period.Contains(obligation.due_day) || obligation.status == ObligationStatus::kOpen;
}

// Counts per rule (index = catalogue rule) over `obligations` that count for `period`.
std::vector<StatusCounts> RatesByRule(std::span<const Obligation> obligations, size_t rule_count,
                                      const Period& period);

// Counts per rule for every unit (its whole subtree) and every worker.
struct RateBreakdown {
  std::vector<StatusCounts> by_rule;                 // [rule]
  std::vector<std::vector<StatusCounts>> by_unit;    // [unit][rule], the unit and all below it
  std::vector<std::vector<StatusCounts>> by_worker;  // [worker][rule]
};
RateBreakdown ComputeRateBreakdown(std::span<const Obligation> obligations, const Dataset& data,
                                   size_t rule_count, const Period& period);

}  // namespace tilsyn

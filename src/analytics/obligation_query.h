#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/dataset.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// A set of obligation statuses: one status, or a group such as the rate's denominator.
class StatusSet {
 public:
  constexpr StatusSet() = default;
  constexpr StatusSet(std::initializer_list<ObligationStatus> statuses) {
    for (const ObligationStatus status : statuses) mask_ |= Bit(status);
  }

  static constexpr StatusSet All() {
    return {ObligationStatus::kMet,  ObligationStatus::kMetLate,  ObligationStatus::kOverdue,
            ObligationStatus::kOpen, ObligationStatus::kExempted, ObligationStatus::kNotApplicable};
  }
  // met + met_late + overdue: what the rate is measured on (StatusCounts::Denominator).
  static constexpr StatusSet Denominator() {
    return {ObligationStatus::kMet, ObligationStatus::kMetLate, ObligationStatus::kOverdue};
  }
  // met + met_late: done at all (StatusCounts::Done).
  static constexpr StatusSet Done() { return {ObligationStatus::kMet, ObligationStatus::kMetLate}; }
  // open + overdue: not done and still to do.
  static constexpr StatusSet Pending() {
    return {ObligationStatus::kOpen, ObligationStatus::kOverdue};
  }

  constexpr bool Contains(ObligationStatus status) const { return (mask_ & Bit(status)) != 0; }
  // The sum of `counts` over the statuses in the set.
  int64_t CountIn(const StatusCounts& counts) const;
  constexpr bool operator==(const StatusSet&) const = default;

 private:
  static constexpr uint8_t Bit(ObligationStatus status) {
    return static_cast<uint8_t>(1u << static_cast<unsigned>(status));
  }
  uint8_t mask_ = 0;
};

// Reads a status name ("met", "met_late", "overdue", "open", "exempted", "not_applicable") or a
// group name ("all", "denominator", "done", "pending"); empty for anything else.
std::optional<StatusSet> ParseStatusSet(std::string_view name);
// The names ParseStatusSet reads, for messages and API documents.
std::span<const std::string_view> StatusSetNames();

// Which obligations a count or list is about. An obligation matches when it counts for `period`
// (CountsFor: due in the period, or open), its status is in `statuses`, and it passes every filter
// that is set — the same predicate as the counts of rules/rates.h and analytics/unit_rates.h.
struct ObligationFilter {
  Period period;
  StatusSet statuses = StatusSet::All();
  std::optional<uint16_t> rule;    // a catalogue rule
  uint32_t unit = kNone;           // the unit's subtree; kNone: every unit
  std::optional<uint32_t> worker;  // this caseworker's; the value kNone: those without one
};

struct PageRequest {
  size_t offset = 0;
  size_t limit = 50;
};

// One page of the obligations a filter matches, and how many match in all.
struct ObligationPage {
  size_t total = 0;
  std::vector<Obligation> rows;
};

// The obligations matching `filter`, ordered by due time, then rule (catalogue order), child id,
// trigger event id and finally position in `obligations`: a total order, so pages never overlap
// or skip. `total` is the number of matches, which equals the count of the same statuses in the
// same rule, unit subtree and worker (ComputeRateBreakdown, ComputeUnitRates).
ObligationPage QueryObligations(std::span<const Obligation> obligations, const Dataset& data,
                                const ObligationFilter& filter, const PageRequest& page);

// Sorts positions into `obligations` in QueryObligations' order, with the overdue ones first when
// `overdue_first`; only the first `count` positions need be in order (a partial sort).
void SortObligationPositions(std::span<const Obligation> obligations, const Dataset& data,
                             bool overdue_first, std::vector<uint32_t>& positions, size_t count);

}  // namespace tilsyn

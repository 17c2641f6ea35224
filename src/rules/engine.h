#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/time.h"
#include "rules/catalogue.h"
#include "rules/obligation.h"
#include "rules/obligation_table.h"

namespace tilsyn {

// The engine bound to one data set and one catalogue: precomputes the mapping between their codes
// so that evaluation reads only integers. Immutable and thread-safe after construction.
class Engine {
 public:
  Engine(const Dataset& data, const Catalogue& catalogue, const Calendar& calendar);

  // Appends the obligations of one child as of the end of `as_of` to `out`. Pure: depends only on
  // that child's events, the catalogue, the calendar and `as_of`.
  void EvaluateChild(uint32_t child, Date as_of, std::vector<Obligation>& out) const;

  // Every child as of the end of `as_of` into `table`, in parallel over `threads` threads (0 = all
  // cores). The table's memory is reused; its content is exactly what a sequential run gives.
  void EvaluateAll(Date as_of, ObligationTable& table, unsigned threads = 0) const;

  // The same, as one vector ordered by child, then rule.
  std::vector<Obligation> EvaluateAll(Date as_of, unsigned threads = 0) const;

  // Brings `table` up to date after the events of `children` changed (InsertEvent): re-evaluates
  // them as of the table's date, and evaluates the children added to the data set since. The
  // table must have been filled from this engine's data set before its events were compacted
  // (positions in the table refer to events).
  void Update(std::span<const uint32_t> children, ObligationTable& table) const;

  const Dataset& data() const { return data_; }
  const Catalogue& catalogue() const { return catalogue_; }
  const Calendar& calendar() const { return calendar_; }

 private:
  struct Scratch;
  struct Measure;
  class ChildEvaluation;

  const Dataset& data_;
  const Catalogue& catalogue_;
  const Calendar& calendar_;
  std::vector<int> rule_of_code_;              // Dataset::rule_ids code → catalogue rule, or -1
  std::vector<int> follow_up_months_of_type_;  // Dataset::measure_types code → months, or 0
  std::vector<std::vector<int>> base_amount_;  // [rule][version] deadline amount, local standards
                                               // applied
  // The sets of several event types the catalogue's triggers, fulfilments and anchors name: each
  // child's live events of each set are listed at once, as those of each type are.
  std::vector<uint32_t> type_sets_;
  std::array<std::vector<uint32_t>, kEventTypeCount> sets_of_type_;  // the sets holding each type
  // Dataset::workers index → unit, for the workers there were at construction: read for every
  // obligation, so kept small enough to stay in cache.
  std::vector<uint32_t> unit_of_worker_;
};

}  // namespace tilsyn

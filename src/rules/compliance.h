#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/time.h"
#include "rules/engine.h"
#include "rules/obligation_table.h"
#include "rules/rates.h"

namespace tilsyn {

// Every child's obligations as of one date and their counts over one period, per rule, unit
// subtree and worker, kept current event by event: what a long-running program shows. A full
// recompute evaluates and counts in parallel, reusing its memory; an update costs the children
// whose events changed, not the data set.
class Compliance {
 public:
  // Evaluates and counts everything with `engine` as of `as_of` over `period`.
  void Recompute(const Engine& engine, Date as_of, const Period& period, unsigned threads = 0);

  // After the events of `children` changed through InsertEvent (and children, units or workers
  // were added): re-evaluates those children and the new ones and moves their counts. `engine`
  // is bound to the same data set as at the last Recompute, which must not have been compacted
  // since (then Recompute).
  void Update(const Engine& engine, std::span<const uint32_t> children);

  Date as_of() const { return obligations_.as_of(); }
  const Period& period() const { return period_; }
  const ObligationTable& obligations() const { return obligations_; }
  // Counts of the obligations that count for the period (CountsFor).
  const RateBreakdown& rates() const { return rates_; }

 private:
  void Resize(const Dataset& data, size_t rule_count);
  void Count(const Dataset& data, std::span<const Obligation> obligations, int sign);

  Period period_{};
  uint32_t generation_ = 0;  // Dataset::layout_generation at the last Recompute
  ObligationTable obligations_;
  RateBreakdown rates_;
};

}  // namespace tilsyn

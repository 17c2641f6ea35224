#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/dataset.h"
#include "core/time.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// A calendar quarter: 1 = January to March, …, 4 = October to December.
struct Quarter {
  int year = 0;
  int number = 1;

  Period period() const;
  auto operator<=>(const Quarter&) const = default;
};

Quarter QuarterOf(Date day);
// The `count` quarters up to and including the one holding `as_of`, oldest first.
std::vector<Quarter> QuartersUpTo(Date as_of, int count);

// One quarter of a trend: the counts per rule over the quarter as a period.
struct QuarterRates {
  Quarter quarter;
  bool complete = false;              // the quarter ended on or before the as-of date
  std::vector<StatusCounts> by_rule;  // [rule]
};

// The counts per rule for the subtree of `unit` (kNone: every unit) in each of the `count`
// quarters up to the one holding `as_of`, oldest first. Every quarter is counted from the same
// obligations — the engine's as of `as_of` — with the quarter as the period (CountsFor), so a
// quarter's figures are what is known now about the deadlines that fell in it: a fulfilment
// registered late still counts, and a closed quarter's denominator stays put because obligations
// are selected by due time. (Open obligations count in every period, as CountsFor has it; they
// are outside the rate.)
std::vector<QuarterRates> ComputeTrend(std::span<const Obligation> obligations, const Dataset& data,
                                       size_t rule_count, uint32_t unit, Date as_of, int count);

}  // namespace tilsyn

#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/dataset.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// Anonymous outputs (the political committee's) hide counts under 5 (DESIGN.md, data protection).
inline constexpr int64_t kSmallestShownCount = 5;

// An additive relation between the cells of a table: cell `total` = the sum of cells `parts`.
struct CellRelation {
  size_t total = 0;
  std::vector<size_t> parts;
};

// Which cells of a table of counts to hide, so that no count from 1 to `smallest_shown` - 1 can be
// read or worked out exactly from what is shown:
// - primary: every cell from 1 to smallest_shown - 1 (a 0 is shown: it identifies no one);
// - secondary: while some relation has exactly one hidden cell (its total minus its shown parts
//   would reveal it), the smallest positive shown part of that relation is hidden too, or the
//   total when no part qualifies;
// - audit: a hidden count under smallest_shown that the relations together still determine
//   exactly (as x = (a + c - b) / 2 does for x + y = a, y + z = b, x + z = c) gets one more cell
//   hidden beside it, the smallest positive shown cell of a relation that holds it, until none is
//   determined.
// A hidden cell may still be bounded (a + b = 6 says a is at most 6). Deterministic: ties go to
// the lowest cell index. `values` are not negative.
std::vector<bool> SuppressCells(std::span<const int64_t> values,
                                std::span<const CellRelation> relations,
                                int64_t smallest_shown = kSmallestShownCount);

// A count as shown: the value, or nothing when it is suppressed.
struct ShownCount {
  std::optional<int64_t> value;
  bool suppressed() const { return !value.has_value(); }
};

// A rate as shown: empty with `suppressed` when it would reveal a hidden count, empty without it
// when there is nothing to measure (the denominator is 0).
struct ShownRate {
  std::optional<double> value;
  bool suppressed = false;
};

// StatusCounts as an output shows them, with any suppression applied.
struct ShownCounts {
  std::array<ShownCount, kObligationStatusCount> status;
  ShownCount denominator;   // met + met_late + overdue
  ShownCount done;          // met + met_late; shown when it follows from shown counts
  ShownCount time_assumed;  // obligations whose hours deadline rests on a date alone
  ShownRate rate;           // met / denominator
  ShownRate done_rate;      // done / denominator

  const ShownCount& Of(ObligationStatus s) const { return status[static_cast<size_t>(s)]; }
};

// Everything shown.
ShownCounts ShowAll(const StatusCounts& counts);

// Rows of a table whose counts add up across rows: row `total` = the sum of rows `parts`, count
// by count (e.g. a unit = its caseworkers + the unassigned).
struct RowRelation {
  size_t total = 0;
  std::vector<size_t> parts;
};

// Shows `rows` with suppression (SuppressCells) for an anonymous output. Within each row,
// denominator = met + met_late + overdue; across rows, `row_relations` for each status, the
// denominator and time_assumed. A rate is shown only when its numerator and denominator are.
std::vector<ShownCounts> SuppressCountRows(std::span<const StatusCounts> rows,
                                           std::span<const RowRelation> row_relations,
                                           int64_t smallest_shown = kSmallestShownCount);

// The counts per rule of every unit's subtree (`by_unit[unit][rule]`, as ComputeRateBreakdown gives
// them) shown for an anonymous output, suppressed over the whole organisation at once: each unit
// is its child units plus what lies in the unit itself, a part that is never shown but protected
// like the others. So no unit, and no difference between a unit and the units below it, reveals a
// hidden count, whichever units one looks at. Returns `[unit][rule]`.
std::vector<std::vector<ShownCounts>> SuppressUnitTree(
    const Dataset& data, std::span<const std::vector<StatusCounts>> by_unit,
    int64_t smallest_shown = kSmallestShownCount);

}  // namespace tilsyn

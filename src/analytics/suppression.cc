#include "analytics/suppression.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tilsyn {
namespace {

constexpr size_t kNoCell = std::numeric_limits<size_t>::max();

// Of `candidate` and `best`, the cell to hide next: positive and shown, the smaller value, then
// the lower index.
size_t Better(std::span<const int64_t> values, const std::vector<bool>& hidden, size_t best,
              size_t candidate) {
  if (hidden[candidate] || values[candidate] <= 0) return best;
  if (best == kNoCell || values[candidate] < values[best] ||
      (values[candidate] == values[best] && candidate < best)) {
    return candidate;
  }
  return best;
}

// The cell to hide beside a relation's single hidden cell: its smallest positive shown part, else
// its total when that is positive and shown; kNoCell when there is none.
size_t Complement(std::span<const int64_t> values, const std::vector<bool>& hidden,
                  const CellRelation& relation) {
  size_t best = kNoCell;
  for (const size_t part : relation.parts) best = Better(values, hidden, best, part);
  return best != kNoCell ? best : Better(values, hidden, kNoCell, relation.total);
}

size_t HiddenCount(const std::vector<bool>& hidden, const CellRelation& relation) {
  size_t count = hidden[relation.total] ? 1 : 0;
  for (const size_t part : relation.parts) count += hidden[part] ? 1 : 0;
  return count;
}

// Hides a complement in every relation with exactly one hidden cell until none is left.
void SecondarySuppression(std::span<const int64_t> values, std::span<const CellRelation> relations,
                          std::vector<bool>& hidden) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const CellRelation& relation : relations) {
      if (HiddenCount(hidden, relation) != 1) continue;
      const size_t cell = Complement(values, hidden, relation);
      if (cell == kNoCell) continue;
      hidden[cell] = true;
      changed = true;
    }
  }
}

class DisjointSets {
 public:
  explicit DisjointSets(size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), size_t{0});
  }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// The hidden cells that the relations, with the shown cells known, fix to one value: by Gaussian
// elimination of each group of hidden cells that relations connect. A hidden cell is determined
// when the reduced row echelon form has a row whose only non-zero entry is that cell's.
std::vector<size_t> DeterminedCells(size_t cell_count, std::span<const CellRelation> relations,
                                    const std::vector<bool>& hidden) {
  DisjointSets groups(cell_count);
  std::vector<std::vector<size_t>> hidden_cells(relations.size());  // per relation
  for (size_t r = 0; r < relations.size(); ++r) {
    const CellRelation& relation = relations[r];
    if (hidden[relation.total]) hidden_cells[r].push_back(relation.total);
    for (const size_t part : relation.parts) {
      if (hidden[part]) hidden_cells[r].push_back(part);
    }
    for (size_t i = 1; i < hidden_cells[r].size(); ++i) {
      groups.Join(hidden_cells[r][0], hidden_cells[r][i]);
    }
  }
  // Each group's relations (those with a hidden cell in it) and its hidden cells.
  std::vector<std::vector<size_t>> relations_of_group(cell_count);
  std::vector<std::vector<size_t>> cells_of_group(cell_count);
  std::vector<size_t> column(cell_count, kNoCell);
  for (size_t cell = 0; cell < cell_count; ++cell) {
    if (!hidden[cell]) continue;
    std::vector<size_t>& cells = cells_of_group[groups.Find(cell)];
    column[cell] = cells.size();
    cells.push_back(cell);
  }
  for (size_t r = 0; r < relations.size(); ++r) {
    if (!hidden_cells[r].empty()) relations_of_group[groups.Find(hidden_cells[r][0])].push_back(r);
  }

  constexpr double kEpsilon = 1e-9;
  std::vector<size_t> determined;
  for (size_t group = 0; group < cell_count; ++group) {
    const std::vector<size_t>& cells = cells_of_group[group];
    if (cells.empty() || relations_of_group[group].empty()) continue;
    // One row per relation: +1 for a hidden total, -1 for each hidden part (shown cells are
    // known, so they only move the right-hand side, which does not decide determinacy).
    std::vector<std::vector<double>> rows;
    for (const size_t r : relations_of_group[group]) {
      std::vector<double> row(cells.size(), 0.0);
      if (hidden[relations[r].total]) row[column[relations[r].total]] += 1.0;
      for (const size_t part : relations[r].parts) {
        if (hidden[part]) row[column[part]] -= 1.0;
      }
      rows.push_back(std::move(row));
    }
    size_t pivot_row = 0;
    for (size_t col = 0; col < cells.size() && pivot_row < rows.size(); ++col) {
      size_t best = pivot_row;
      for (size_t r = pivot_row + 1; r < rows.size(); ++r) {
        if (std::abs(rows[r][col]) > std::abs(rows[best][col])) best = r;
      }
      if (std::abs(rows[best][col]) < kEpsilon) continue;
      std::swap(rows[best], rows[pivot_row]);
      const double pivot = rows[pivot_row][col];
      for (double& x : rows[pivot_row]) x /= pivot;
      for (size_t r = 0; r < rows.size(); ++r) {
        if (r == pivot_row || std::abs(rows[r][col]) < kEpsilon) continue;
        const double factor = rows[r][col];
        for (size_t c = 0; c < cells.size(); ++c) rows[r][c] -= factor * rows[pivot_row][c];
      }
      ++pivot_row;
    }
    for (size_t r = 0; r < pivot_row; ++r) {
      size_t nonzero = 0;
      size_t last = 0;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (std::abs(rows[r][c]) >= kEpsilon) {
          ++nonzero;
          last = c;
        }
      }
      if (nonzero == 1) determined.push_back(cells[last]);
    }
  }
  std::sort(determined.begin(), determined.end());
  return determined;
}

// The cell to hide so that `cell` is no longer determined: the smallest positive shown cell of a
// relation that holds it, else of any relation with a hidden cell.
size_t Protector(std::span<const int64_t> values, std::span<const CellRelation> relations,
                 const std::vector<bool>& hidden, size_t cell) {
  size_t best = kNoCell;
  for (const CellRelation& relation : relations) {
    const bool holds =
        relation.total == cell ||
        std::find(relation.parts.begin(), relation.parts.end(), cell) != relation.parts.end();
    if (!holds) continue;
    best = Better(values, hidden, best, relation.total);
    for (const size_t part : relation.parts) best = Better(values, hidden, best, part);
  }
  if (best != kNoCell) return best;
  for (const CellRelation& relation : relations) {
    if (HiddenCount(hidden, relation) == 0) continue;
    best = Better(values, hidden, best, relation.total);
    for (const size_t part : relation.parts) best = Better(values, hidden, best, part);
  }
  return best;
}

}  // namespace

std::vector<bool> SuppressCells(std::span<const int64_t> values,
                                std::span<const CellRelation> relations, int64_t smallest_shown) {
  const auto small = [&](size_t cell) {
    return values[cell] >= 1 && values[cell] < smallest_shown;
  };
  std::vector<bool> hidden(values.size());
  for (size_t cell = 0; cell < values.size(); ++cell) hidden[cell] = small(cell);
  while (true) {
    SecondarySuppression(values, relations, hidden);
    // A larger count hidden beside a small one may be determined: it reveals nothing small.
    std::vector<size_t> determined = DeterminedCells(values.size(), relations, hidden);
    std::erase_if(determined, [&](size_t cell) { return !small(cell); });
    if (determined.empty()) break;
    const size_t cell = Protector(values, relations, hidden, determined.front());
    if (cell == kNoCell) break;  // only when the values break their own relations
    hidden[cell] = true;
  }
  return hidden;
}

ShownCounts ShowAll(const StatusCounts& counts) {
  ShownCounts shown;
  for (size_t s = 0; s < shown.status.size(); ++s) shown.status[s].value = counts.count[s];
  shown.denominator.value = counts.Denominator();
  shown.done.value = counts.Done();
  shown.time_assumed.value = counts.time_assumed;
  shown.rate.value = counts.Rate();
  if (counts.Denominator() > 0) {
    shown.done_rate.value =
        static_cast<double>(counts.Done()) / static_cast<double>(counts.Denominator());
  }
  return shown;
}

std::vector<ShownCounts> SuppressCountRows(std::span<const StatusCounts> rows,
                                           std::span<const RowRelation> row_relations,
                                           int64_t smallest_shown) {
  // Cells per row: the six statuses, the denominator and time_assumed.
  constexpr size_t kCellsPerRow = kObligationStatusCount + 2;
  constexpr size_t kDenominator = kObligationStatusCount;
  constexpr size_t kTimeAssumed = kObligationStatusCount + 1;
  const auto cell = [](size_t row, size_t column) { return row * kCellsPerRow + column; };
  const auto status = [](ObligationStatus s) { return static_cast<size_t>(s); };

  std::vector<int64_t> values(rows.size() * kCellsPerRow);
  std::vector<CellRelation> relations;
  for (size_t row = 0; row < rows.size(); ++row) {
    for (size_t s = 0; s < kObligationStatusCount; ++s) values[cell(row, s)] = rows[row].count[s];
    values[cell(row, kDenominator)] = rows[row].Denominator();
    values[cell(row, kTimeAssumed)] = rows[row].time_assumed;
    relations.push_back(
        {cell(row, kDenominator),
         {cell(row, status(ObligationStatus::kMet)), cell(row, status(ObligationStatus::kMetLate)),
          cell(row, status(ObligationStatus::kOverdue))}});
  }
  for (const RowRelation& relation : row_relations) {
    for (size_t column = 0; column < kCellsPerRow; ++column) {
      CellRelation cells{cell(relation.total, column), {}};
      for (const size_t part : relation.parts) cells.parts.push_back(cell(part, column));
      relations.push_back(std::move(cells));
    }
  }
  const std::vector<bool> hidden = SuppressCells(values, relations, smallest_shown);

  std::vector<ShownCounts> shown;
  shown.reserve(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    ShownCounts counts = ShowAll(rows[row]);
    const auto is_hidden = [&](size_t column) { return hidden[cell(row, column)]; };
    for (size_t s = 0; s < kObligationStatusCount; ++s) {
      if (is_hidden(s)) counts.status[s].value.reset();
    }
    if (is_hidden(kDenominator)) counts.denominator.value.reset();
    if (is_hidden(kTimeAssumed)) counts.time_assumed.value.reset();
    const bool met = !is_hidden(status(ObligationStatus::kMet));
    const bool met_late = !is_hidden(status(ObligationStatus::kMetLate));
    const bool overdue = !is_hidden(status(ObligationStatus::kOverdue));
    const bool denominator = !is_hidden(kDenominator);
    // done = met + met_late = denominator - overdue: shown only when shown counts give it.
    if (!((met && met_late) || (denominator && overdue))) counts.done.value.reset();
    if (!(met && denominator)) counts.rate = {std::nullopt, true};
    if (!(!counts.done.suppressed() && denominator)) counts.done_rate = {std::nullopt, true};
    shown.push_back(counts);
  }
  return shown;
}

std::vector<std::vector<ShownCounts>> SuppressUnitTree(
    const Dataset& data, std::span<const std::vector<StatusCounts>> by_unit,
    int64_t smallest_shown) {
  const size_t units = data.units.size();
  std::vector<std::vector<size_t>> children(units);
  for (size_t unit = 0; unit < units; ++unit) {
    if (data.units[unit].parent != kNone) children[data.units[unit].parent].push_back(unit);
  }
  // Rows 0 .. units-1: each unit's subtree; rows units .. 2 units-1: what lies in the unit itself.
  std::vector<RowRelation> relations(units);
  for (size_t unit = 0; unit < units; ++unit) {
    relations[unit].total = unit;
    relations[unit].parts = children[unit];
    relations[unit].parts.push_back(units + unit);
  }
  const size_t rule_count = units == 0 ? 0 : by_unit[0].size();
  std::vector<std::vector<ShownCounts>> shown(units, std::vector<ShownCounts>(rule_count));
  std::vector<StatusCounts> rows(2 * units);
  for (size_t rule = 0; rule < rule_count; ++rule) {
    for (size_t unit = 0; unit < units; ++unit) {
      rows[unit] = by_unit[unit][rule];
      StatusCounts& own = rows[units + unit];
      own = by_unit[unit][rule];
      for (const size_t child : children[unit]) {
        for (size_t s = 0; s < own.count.size(); ++s) own.count[s] -= by_unit[child][rule].count[s];
        own.time_assumed -= by_unit[child][rule].time_assumed;
      }
    }
    const std::vector<ShownCounts> rule_shown = SuppressCountRows(rows, relations, smallest_shown);
    for (size_t unit = 0; unit < units; ++unit) shown[unit][rule] = rule_shown[unit];
  }
  return shown;
}

}  // namespace tilsyn

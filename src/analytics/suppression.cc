#include "analytics/suppression.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>

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

// The hidden cells of a table and, per relation, how many of its cells are hidden; relations
// whose count rises to 1 wait in a queue, so secondary suppression costs the size of the
// relations, not a pass over all of them per cell it hides.
class HiddenCells {
 public:
  HiddenCells(std::span<const int64_t> values, std::span<const CellRelation> relations)
      : values_(values),
        relations_(relations),
        hidden_(values.size(), false),
        hidden_count_(relations.size(), 0),
        relations_of_cell_(values.size()) {
    for (uint32_t r = 0; r < relations.size(); ++r) {
      relations_of_cell_[relations[r].total].push_back(r);
      for (const size_t part : relations[r].parts) relations_of_cell_[part].push_back(r);
    }
  }

  const std::vector<bool>& hidden() const { return hidden_; }
  const std::vector<uint32_t>& RelationsOf(size_t cell) const { return relations_of_cell_[cell]; }

  void Hide(size_t cell) {
    if (hidden_[cell]) return;
    hidden_[cell] = true;
    for (const uint32_t r : relations_of_cell_[cell]) {
      if (++hidden_count_[r] == 1) waiting_.push_back(r);
    }
  }

  // Hides a complement in every relation with exactly one hidden cell until none is left.
  void SecondarySuppression() {
    while (!waiting_.empty()) {
      const uint32_t r = waiting_.front();
      waiting_.pop_front();
      if (hidden_count_[r] != 1) continue;
      const size_t cell = Complement(values_, hidden_, relations_[r]);
      if (cell != kNoCell) Hide(cell);
    }
  }

 private:
  std::span<const int64_t> values_;
  std::span<const CellRelation> relations_;
  std::vector<bool> hidden_;
  std::vector<uint32_t> hidden_count_;                    // per relation
  std::vector<std::vector<uint32_t>> relations_of_cell_;  // the relations each cell is in
  std::deque<uint32_t> waiting_;                          // relations whose count became 1
};

// A sparse row of a linear system: (column, coefficient) sorted by column, no zeros.
using SparseRow = std::vector<std::pair<uint32_t, double>>;

constexpr double kEpsilon = 1e-9;

// row -= factor * pivot, keeping the row sorted and dropping what cancels; calls `added` with each
// column that was not in the row before.
template <typename Added>
void Subtract(SparseRow& row, double factor, const SparseRow& pivot, SparseRow& result,
              Added added) {
  result.clear();
  size_t i = 0;
  size_t j = 0;
  while (i < row.size() || j < pivot.size()) {
    if (j == pivot.size() || (i < row.size() && row[i].first < pivot[j].first)) {
      result.push_back(row[i++]);
    } else if (i == row.size() || pivot[j].first < row[i].first) {
      added(pivot[j].first);
      result.emplace_back(pivot[j].first, -factor * pivot[j].second);
      ++j;
    } else {
      const double value = row[i].second - factor * pivot[j].second;
      if (std::abs(value) >= kEpsilon) result.emplace_back(row[i].first, value);
      ++i;
      ++j;
    }
  }
  row.swap(result);
}

double Coefficient(const SparseRow& row, uint32_t column) {
  const auto it = std::lower_bound(row.begin(), row.end(), std::pair<uint32_t, double>(column, 0.0),
                                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return it != row.end() && it->first == column ? it->second : 0.0;
}

// The hidden cells that the relations, with the shown cells known, fix to one value. By sparse
// Gauss-Jordan elimination over the hidden cells (the shown ones only move the right-hand side,
// which does not decide determinacy): a hidden cell is determined when the reduced system has a
// row whose only entry is that cell's. Sparse, because a relation holds few hidden cells and
// eliminating a tree of units leaf by leaf fills in little.
std::vector<size_t> DeterminedCells(size_t cell_count, std::span<const CellRelation> relations,
                                    const std::vector<bool>& hidden) {
  std::vector<uint32_t> column(cell_count, 0);
  std::vector<size_t> cell_of_column;
  for (size_t cell = 0; cell < cell_count; ++cell) {
    if (!hidden[cell]) continue;
    column[cell] = static_cast<uint32_t>(cell_of_column.size());
    cell_of_column.push_back(cell);
  }
  // One row per relation with a hidden cell: +1 for a hidden total, -1 for each hidden part.
  std::vector<SparseRow> rows;
  std::vector<std::vector<uint32_t>> rows_of_column(cell_of_column.size());
  for (const CellRelation& relation : relations) {
    SparseRow row;
    if (hidden[relation.total]) row.emplace_back(column[relation.total], 1.0);
    for (const size_t part : relation.parts) {
      if (hidden[part]) row.emplace_back(column[part], -1.0);
    }
    if (row.empty()) continue;
    std::sort(row.begin(), row.end());
    // A cell named twice in one relation adds up.
    SparseRow merged;
    for (const auto& [col, value] : row) {
      if (!merged.empty() && merged.back().first == col) {
        merged.back().second += value;
      } else {
        merged.emplace_back(col, value);
      }
    }
    std::erase_if(merged, [](const auto& entry) { return std::abs(entry.second) < kEpsilon; });
    row = std::move(merged);
    if (row.empty()) continue;
    for (const auto& entry : row) {
      rows_of_column[entry.first].push_back(static_cast<uint32_t>(rows.size()));
    }
    rows.push_back(std::move(row));
  }

  std::vector<bool> pivoted(rows.size(), false);
  SparseRow scratch;
  for (uint32_t col = 0; col < cell_of_column.size(); ++col) {
    // rows_of_column may name rows where the column has since cancelled: look again.
    uint32_t pivot = 0;
    double best = 0.0;
    for (const uint32_t r : rows_of_column[col]) {
      const double value = std::abs(Coefficient(rows[r], col));
      if (!pivoted[r] && value > best + kEpsilon) {
        best = value;
        pivot = r;
      }
    }
    if (best < kEpsilon) continue;
    pivoted[pivot] = true;
    const double scale = Coefficient(rows[pivot], col);
    for (auto& entry : rows[pivot]) entry.second /= scale;
    const std::vector<uint32_t> others = rows_of_column[col];  // Subtract may add to the lists
    for (const uint32_t r : others) {
      if (r == pivot) continue;
      const double factor = Coefficient(rows[r], col);
      if (std::abs(factor) < kEpsilon) continue;
      Subtract(rows[r], factor, rows[pivot], scratch,
               [&](uint32_t added) { rows_of_column[added].push_back(r); });
    }
  }

  std::vector<size_t> determined;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (pivoted[r] && rows[r].size() == 1) determined.push_back(cell_of_column[rows[r][0].first]);
  }
  std::sort(determined.begin(), determined.end());
  return determined;
}

// The cell to hide so that `cell` is no longer determined: the smallest positive shown cell of a
// relation that holds it, else of any relation with a hidden cell.
size_t Protector(std::span<const int64_t> values, std::span<const CellRelation> relations,
                 const HiddenCells& cells, size_t cell) {
  const std::vector<bool>& hidden = cells.hidden();
  const auto best_of = [&](const CellRelation& relation, size_t best) {
    best = Better(values, hidden, best, relation.total);
    for (const size_t part : relation.parts) best = Better(values, hidden, best, part);
    return best;
  };
  size_t best = kNoCell;
  for (const uint32_t r : cells.RelationsOf(cell)) best = best_of(relations[r], best);
  if (best != kNoCell) return best;
  for (const CellRelation& relation : relations) {
    const bool any_hidden =
        hidden[relation.total] || std::any_of(relation.parts.begin(), relation.parts.end(),
                                              [&](size_t p) { return hidden[p]; });
    if (any_hidden) best = best_of(relation, best);
  }
  return best;
}

}  // namespace

std::vector<bool> SuppressCells(std::span<const int64_t> values,
                                std::span<const CellRelation> relations, int64_t smallest_shown) {
  const auto small = [&](size_t cell) {
    return values[cell] >= 1 && values[cell] < smallest_shown;
  };
  HiddenCells cells(values, relations);
  for (size_t cell = 0; cell < values.size(); ++cell) {
    if (small(cell)) cells.Hide(cell);
  }
  while (true) {
    cells.SecondarySuppression();
    // A larger count hidden beside a small one may be determined: it reveals nothing small.
    std::vector<size_t> determined = DeterminedCells(values.size(), relations, cells.hidden());
    std::erase_if(determined, [&](size_t cell) { return !small(cell); });
    if (determined.empty()) break;
    const size_t cell = Protector(values, relations, cells, determined.front());
    if (cell == kNoCell) break;  // only when the values break their own relations
    cells.Hide(cell);
  }
  return cells.hidden();
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

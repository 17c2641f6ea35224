#include "analytics/obligation_query.h"

#include <algorithm>
#include <array>
#include <utility>

#include "analytics/scope.h"

namespace tilsyn {
namespace {

constexpr std::array<std::pair<std::string_view, StatusSet>, 10> kStatusSets = {{
    {"all", StatusSet::All()},
    {"denominator", StatusSet::Denominator()},
    {"done", StatusSet::Done()},
    {"pending", StatusSet::Pending()},
    {"met", {ObligationStatus::kMet}},
    {"met_late", {ObligationStatus::kMetLate}},
    {"overdue", {ObligationStatus::kOverdue}},
    {"open", {ObligationStatus::kOpen}},
    {"exempted", {ObligationStatus::kExempted}},
    {"not_applicable", {ObligationStatus::kNotApplicable}},
}};

constexpr std::array<std::string_view, kStatusSets.size()> kStatusSetNames = [] {
  std::array<std::string_view, kStatusSets.size()> names{};
  for (size_t i = 0; i < kStatusSets.size(); ++i) names[i] = kStatusSets[i].first;
  return names;
}();

bool Matches(const Obligation& obligation, const ObligationFilter& filter,
             const UnitSubtree& subtree) {
  return filter.statuses.Contains(obligation.status) && CountsFor(obligation, filter.period) &&
         (!filter.rule || obligation.rule == *filter.rule) && subtree.Contains(obligation.unit) &&
         (!filter.worker || obligation.worker == *filter.worker);
}

}  // namespace

int64_t StatusSet::CountIn(const StatusCounts& counts) const {
  int64_t total = 0;
  for (int s = 0; s < kObligationStatusCount; ++s) {
    const auto status = static_cast<ObligationStatus>(s);
    if (Contains(status)) total += counts.Of(status);
  }
  return total;
}

std::optional<StatusSet> ParseStatusSet(std::string_view name) {
  for (const auto& [set_name, set] : kStatusSets) {
    if (set_name == name) return set;
  }
  return std::nullopt;
}

std::span<const std::string_view> StatusSetNames() { return kStatusSetNames; }

void SortObligationPositions(std::span<const Obligation> obligations, const Dataset& data,
                             bool overdue_first, std::vector<uint32_t>& positions, size_t count) {
  const auto before = [&](uint32_t a, uint32_t b) {
    const Obligation& x = obligations[a];
    const Obligation& y = obligations[b];
    if (overdue_first &&
        (x.status == ObligationStatus::kOverdue) != (y.status == ObligationStatus::kOverdue)) {
      return x.status == ObligationStatus::kOverdue;
    }
    if (x.due != y.due) return x.due < y.due;
    if (x.rule != y.rule) return x.rule < y.rule;
    if (x.child != y.child) {
      const std::string& x_child = data.children[x.child].id;
      const std::string& y_child = data.children[y.child].id;
      if (x_child != y_child) return x_child < y_child;
    }
    const std::string_view x_trigger = data.event_ids.Text(data.events[x.trigger].id);
    const std::string_view y_trigger = data.event_ids.Text(data.events[y.trigger].id);
    if (x_trigger != y_trigger) return x_trigger < y_trigger;
    return a < b;
  };
  count = std::min(count, positions.size());
  std::partial_sort(positions.begin(), positions.begin() + static_cast<std::ptrdiff_t>(count),
                    positions.end(), before);
}

ObligationPage QueryObligations(std::span<const Obligation> obligations, const Dataset& data,
                                const ObligationFilter& filter, const PageRequest& page) {
  const UnitSubtree subtree(data, filter.unit);
  std::vector<uint32_t> positions;
  for (uint32_t i = 0; i < obligations.size(); ++i) {
    if (Matches(obligations[i], filter, subtree)) positions.push_back(i);
  }
  ObligationPage result;
  result.total = positions.size();
  if (page.offset >= positions.size()) return result;
  const size_t end = page.offset + std::min(page.limit, positions.size() - page.offset);
  SortObligationPositions(obligations, data, false, positions, end);
  result.rows.reserve(end - page.offset);
  for (size_t i = page.offset; i < end; ++i) result.rows.push_back(obligations[positions[i]]);
  return result;
}

}  // namespace tilsyn

#include "core/dataset.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace tilsyn {
namespace {

constexpr std::array<std::string_view, 4> kUnitKindNames = {"municipality", "department",
                                                            "district", "team"};

template <typename Row>
uint32_t FindById(const std::vector<Row>& rows, std::string_view id) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].id == id) return static_cast<uint32_t>(i);
  }
  return kNone;
}

}  // namespace

std::string_view UnitKindName(UnitKind kind) { return kUnitKindNames[static_cast<size_t>(kind)]; }

std::optional<UnitKind> ParseUnitKind(std::string_view name) {
  for (size_t i = 0; i < kUnitKindNames.size(); ++i) {
    if (kUnitKindNames[i] == name) return static_cast<UnitKind>(i);
  }
  return std::nullopt;
}

uint32_t Dataset::FindUnit(std::string_view id) const { return FindById(units, id); }
uint32_t Dataset::FindWorker(std::string_view id) const { return FindById(workers, id); }
uint32_t Dataset::FindChild(std::string_view id) const { return FindById(children, id); }

void ArrangeEventsByChild(Dataset& data) {
  const auto count = static_cast<uint32_t>(data.events.size());

  // Bucket the events by child (a counting sort), then sort each child's few events.
  data.child_begin.assign(data.children.size() + 1, 0);
  for (const Event& event : data.events) ++data.child_begin[event.child + 1];
  std::partial_sum(data.child_begin.begin(), data.child_begin.end(), data.child_begin.begin());
  std::vector<uint32_t> order(count);  // order[new position] = old position
  {
    std::vector<uint32_t> next(data.child_begin.begin(), data.child_begin.end() - 1);
    for (uint32_t i = 0; i < count; ++i) order[next[data.events[i].child]++] = i;
  }
  const auto before = [&](uint32_t a, uint32_t b) {
    const Event& x = data.events[a];
    const Event& y = data.events[b];
    if (x.at != y.at) return x.at < y.at;
    if (x.type != y.type) return x.type < y.type;
    return data.event_ids.Text(x.id) < data.event_ids.Text(y.id);
  };
  for (size_t child = 0; child < data.children.size(); ++child) {
    std::sort(order.begin() + data.child_begin[child], order.begin() + data.child_begin[child + 1],
              before);
  }
  std::vector<uint32_t> position(count);
  for (uint32_t i = 0; i < count; ++i) position[order[i]] = i;

  // Apply the permutation in place, cycle by cycle.
  const bool has_details = !data.details.empty();
  const bool has_rows = !data.source.event_rows.empty();
  for (uint32_t start = 0; start < count; ++start) {
    if (order[start] == start) continue;
    const Event first = data.events[start];
    EventDetails first_details = has_details ? std::move(data.details[start]) : EventDetails{};
    const uint32_t first_row = has_rows ? data.source.event_rows[start] : 0;
    uint32_t current = start;
    while (order[current] != start) {
      const uint32_t from = order[current];
      data.events[current] = data.events[from];
      if (has_details) data.details[current] = std::move(data.details[from]);
      if (has_rows) data.source.event_rows[current] = data.source.event_rows[from];
      order[current] = current;
      current = from;
    }
    data.events[current] = first;
    if (has_details) data.details[current] = std::move(first_details);
    if (has_rows) data.source.event_rows[current] = first_row;
    order[current] = current;
  }
  for (Event& event : data.events) {
    if (event.ref != kNone) event.ref = position[event.ref];
  }
}

}  // namespace tilsyn

#include "store/import_plan.h"

#include <fmt/format.h>

#include <string>
#include <unordered_map>

#include "store/records.h"

namespace tilsyn {
namespace {

// An id index over records that have an `id` member.
template <typename Row>
std::unordered_map<std::string_view, uint32_t> IndexById(const std::vector<Row>& rows) {
  std::unordered_map<std::string_view, uint32_t> index;
  index.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].id, static_cast<uint32_t>(i));
  return index;
}

bool SameUnit(const UnitRow& a, const UnitRow& b) {
  return a.parent_id == b.parent_id && a.kind == b.kind && a.name == b.name;
}
bool SameWorker(const WorkerRow& a, const WorkerRow& b) {
  return a.name == b.name && a.unit_id == b.unit_id && a.fte == b.fte;
}
bool SameChild(const ChildRow& a, const ChildRow& b) {
  return a.birth_date == b.birth_date && a.unit_id == b.unit_id && a.cpr_hash == b.cpr_hash;
}

// Sorts records of one kind into added, updated and unchanged.
template <typename Row, typename MakeRow, typename Same>
void PlanRecords(const std::vector<Row>& stored, const std::vector<Row>& incoming,
                 const Dataset& stored_data, const Dataset& incoming_data, MakeRow make_row,
                 Same same, std::vector<uint32_t>& added, std::vector<uint32_t>& updated,
                 size_t& unchanged) {
  const auto index = IndexById(stored);
  for (uint32_t i = 0; i < incoming.size(); ++i) {
    const auto found = index.find(incoming[i].id);
    if (found == index.end()) {
      added.push_back(i);
    } else if (same(make_row(stored_data, found->second), make_row(incoming_data, i))) {
      ++unchanged;
    } else {
      updated.push_back(i);
    }
  }
}

std::string RowPrefix(const std::string& file, const std::vector<uint32_t>& rows, uint32_t index) {
  if (file.empty()) return "import: ";
  if (rows.empty()) return file + ": ";
  return fmt::format("{}:{}:", file, rows[index]);
}

class Errors {
 public:
  explicit Errors(size_t max) : max_(max) {}
  void Add(std::string line) {
    if (lines_.size() < max_) lines_.push_back(std::move(line));
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  Error ToError() const {
    // As the interchange reader lists its errors: a line each, then how many more there were.
    std::string message;
    for (const std::string& line : lines_) {
      if (!message.empty()) message += '\n';
      message += line;
    }
    if (const size_t more = count_ - lines_.size(); more > 0) {
      message += fmt::format("\n… and {} more error{}", more, more == 1 ? "" : "s");
    }
    return InvalidArgument(std::move(message));
  }

 private:
  size_t max_;
  size_t count_ = 0;
  std::vector<std::string> lines_;
};

// Units whose parent chain, with the incoming units replacing stored ones, loops.
void CheckUnionHasNoCycles(const Dataset& stored, const Dataset& incoming, Errors& errors) {
  std::unordered_map<std::string_view, std::string_view> parent;
  for (uint32_t i = 0; i < stored.units.size(); ++i) {
    parent[stored.units[i].id] = MakeUnitRow(stored, i).parent_id;
  }
  for (uint32_t i = 0; i < incoming.units.size(); ++i) {
    parent[incoming.units[i].id] = MakeUnitRow(incoming, i).parent_id;
  }
  for (uint32_t i = 0; i < incoming.units.size(); ++i) {
    std::string_view at = incoming.units[i].id;
    for (size_t steps = 0; steps <= parent.size() && !at.empty(); ++steps) {
      at = parent[at];
      if (at == incoming.units[i].id) {
        errors.Add(
            fmt::format("{}parent_id: with the units already stored, unit \"{}\" would be "
                        "its own ancestor",
                        RowPrefix(incoming.source.units_file, incoming.source.unit_rows, i),
                        incoming.units[i].id));
        break;
      }
    }
  }
}

}  // namespace

Result<ImportPlan> PlanImport(const Dataset& stored, const Dataset& incoming,
                              const Calendar& calendar, size_t max_errors) {
  ImportPlan plan;
  Errors errors(max_errors);
  CheckUnionHasNoCycles(stored, incoming, errors);
  PlanRecords(stored.units, incoming.units, stored, incoming, MakeUnitRow, SameUnit,
              plan.units_added, plan.units_updated, plan.units_unchanged);
  PlanRecords(stored.workers, incoming.workers, stored, incoming, MakeWorkerRow, SameWorker,
              plan.workers_added, plan.workers_updated, plan.workers_unchanged);
  PlanRecords(stored.children, incoming.children, stored, incoming, MakeChildRow, SameChild,
              plan.children_added, plan.children_updated, plan.children_unchanged);

  // Stored events by id code: stored.event_ids codes are not positions after arrangement.
  std::vector<uint32_t> stored_position(stored.event_ids.size(), kNone);
  for (uint32_t i = 0; i < stored.events.size(); ++i) {
    if (stored.events[i].id != kNone) stored_position[stored.events[i].id] = i;  // not dead
  }
  size_t matched = 0;
  for (uint32_t i = 0; i < incoming.events.size(); ++i) {
    const std::string_view id = incoming.event_ids.Text(incoming.events[i].id);
    const uint32_t code = stored.event_ids.Find(id);
    if (code == kNone) {
      plan.events_added.push_back(i);
      continue;
    }
    ++matched;
    const EventTexts before = EventColumnTexts(stored, stored_position[code], calendar);
    const EventTexts now = EventColumnTexts(incoming, i, calendar);
    bool same = true;
    for (size_t column = 0; column < kEventColumns; ++column) {
      if (before[column].second == now[column].second) continue;
      same = false;
      errors.Add(fmt::format(
          "{}{}: event \"{}\" is already stored with {} \"{}\", here \"{}\"; an event cannot "
          "change: correct it with a retraction event (and a new event)",
          RowPrefix(incoming.source.events_file, incoming.source.event_rows, i), now[column].first,
          id, now[column].first, before[column].second, now[column].second));
    }
    if (same) ++plan.events_unchanged;
  }
  plan.stored_events_not_in_import = LiveEventCount(stored) - matched;
  if (!errors.empty()) return errors.ToError();
  return plan;
}

}  // namespace tilsyn

#include "store/event_index.h"

#include <fmt/format.h>

#include <utility>

namespace tilsyn {
namespace {

// The position of the event with id code `id` among `child`'s events, or kNone.
uint32_t PositionOf(const Dataset& data, uint32_t child, uint32_t id) {
  if (child >= data.child_begin.size()) return kNone;
  for (uint32_t i = data.child_begin[child]; i < data.child_end[child]; ++i) {
    if (data.events[i].id == id) return i;
  }
  return kNone;
}

}  // namespace

EventIndex::EventIndex(Dataset data, int64_t last_import_id)
    : data_(std::move(data)), last_import_id_(last_import_id) {
  for (const Unit& unit : data_.units) unit_ids_.Intern(unit.id);
  for (const Worker& worker : data_.workers) worker_ids_.Intern(worker.id);
  for (const Child& child : data_.children) child_ids_.Intern(child.id);
  ReserveForInsertions(data_);
}

Result<EventIndex> EventIndex::Load(Store& store) {
  // The import id first: an import landing between the two reads is then seen as newer than the
  // index, and the next Import reloads.
  Result<int64_t> last = store.LastImportId();
  if (!last) return std::move(last).error();
  Result<Dataset> data = store.Load({.details = true});
  if (!data) return std::move(data).error();
  return EventIndex(std::move(*data), *last);
}

Result<ImportSummary> EventIndex::Import(Store& store, const Dataset& incoming,
                                         ImportOptions options) {
  options.stored = &data_;
  options.stored_import_id = last_import_id_;
  Result<ImportSummary> summary = store.Import(incoming, options);
  if (!summary || summary->import_id == 0) return summary;
  if (summary->import_id != last_import_id_ + 1) {
    // Another writer's import came between: this index has not seen it.
    Result<EventIndex> reloaded = Load(store);
    if (!reloaded) return std::move(reloaded).error();
    *this = std::move(*reloaded);
    return summary;
  }
  if (Status status = Apply(incoming, summary->plan); !status) return status.error();
  last_import_id_ = summary->import_id;
  return summary;
}

Status EventIndex::Apply(const Dataset& incoming, const ImportPlan& plan) {
  const auto parent_of = [&](uint32_t unit) {
    const uint32_t parent = incoming.units[unit].parent;
    return parent == kNone ? kNone : unit_ids_.Find(incoming.units[parent].id);
  };
  for (const uint32_t u : plan.units_added) {
    unit_ids_.Intern(incoming.units[u].id);
    data_.units.push_back(incoming.units[u]);
  }
  for (const uint32_t u : plan.units_updated) {
    Unit& unit = data_.units[unit_ids_.Find(incoming.units[u].id)];
    unit.name = incoming.units[u].name;
    unit.kind = incoming.units[u].kind;
  }
  // Parents last: a new unit's parent may be new too.
  for (const auto* list : {&plan.units_added, &plan.units_updated}) {
    for (const uint32_t u : *list)
      data_.units[unit_ids_.Find(incoming.units[u].id)].parent = parent_of(u);
  }
  const auto unit_of = [&](uint32_t unit) { return unit_ids_.Find(incoming.units[unit].id); };
  for (const uint32_t w : plan.workers_added) {
    worker_ids_.Intern(incoming.workers[w].id);
    Worker worker = incoming.workers[w];
    worker.unit = unit_of(worker.unit);
    data_.workers.push_back(std::move(worker));
  }
  for (const uint32_t w : plan.workers_updated) {
    Worker& worker = data_.workers[worker_ids_.Find(incoming.workers[w].id)];
    worker.name = incoming.workers[w].name;
    worker.fte = incoming.workers[w].fte;
    worker.unit = unit_of(incoming.workers[w].unit);
  }
  for (const uint32_t c : plan.children_added) {
    child_ids_.Intern(incoming.children[c].id);
    Child child = incoming.children[c];
    child.unit = unit_of(child.unit);
    data_.children.push_back(std::move(child));
  }
  for (const uint32_t c : plan.children_updated) {
    Child& child = data_.children[child_ids_.Find(incoming.children[c].id)];
    child.birth_date = incoming.children[c].birth_date;
    child.cpr_hash = incoming.children[c].cpr_hash;
    child.unit = unit_of(incoming.children[c].unit);
  }

  // Events, in the incoming order; one whose ref is not in yet (it came later in that order)
  // waits for the next round.
  std::vector<uint32_t> pending(plan.events_added.begin(), plan.events_added.end());
  while (!pending.empty()) {
    std::vector<uint32_t> waiting;
    for (const uint32_t p : pending) {
      const Event& in = incoming.events[p];
      Event event = in;
      const uint32_t child = child_ids_.Find(incoming.children[incoming.ChildAt(p)].id);
      event.worker = in.worker == kNone ? kNone : worker_ids_.Find(incoming.workers[in.worker].id);
      event.id = data_.event_ids.Intern(incoming.event_ids.Text(in.id));
      event.measure = in.measure == kNone
                          ? kNone
                          : data_.measure_ids.Intern(incoming.measure_ids.Text(in.measure));
      if (in.measure_type() != kNoCode) {
        event.code = static_cast<uint16_t>(
            data_.measure_types.Intern(incoming.measure_types.Text(in.measure_type())));
      } else if (in.rule() != kNoCode) {
        event.code =
            static_cast<uint16_t>(data_.rule_ids.Intern(incoming.rule_ids.Text(in.rule())));
      }
      if (in.ref != kNone) {
        const uint32_t target =
            data_.event_ids.Find(incoming.event_ids.Text(incoming.events[in.ref].id));
        event.ref = target == kNone ? kNone : PositionOf(data_, child, target);
        if (event.ref == kNone) {
          waiting.push_back(p);
          continue;
        }
      }
      if (child == kNone || (in.worker != kNone && event.worker == kNone)) {
        return Internal(
            fmt::format("event \"{}\" was stored, but its child or worker is not in "
                        "the index",
                        incoming.event_ids.Text(in.id)));
      }
      InsertEvent(data_, child, event,
                  data_.MakeDetails(incoming.LegalBasisOf(p), incoming.ReasonOf(p),
                                    incoming.AmountOreOf(p)));
    }
    if (waiting.size() == pending.size()) {
      return Internal("events were stored whose refs the index cannot resolve");
    }
    pending = std::move(waiting);
  }
  return {};
}

}  // namespace tilsyn

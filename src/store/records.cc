#include "store/records.h"

#include <fmt/format.h>

#include <utility>

namespace tilsyn {
namespace {

Flag FlagOf(const Event& event, EventFlag flag) {
  if (!event.Has(flag)) return Flag::kNull;
  return event.Is(flag) ? Flag::kTrue : Flag::kFalse;
}

void SetFlag(Event& event, EventFlag flag, Flag value) {
  if (value != Flag::kNull) event.Set(flag, value == Flag::kTrue);
}

std::string_view IdOrEmpty(const Interner& ids, uint32_t code) {
  return code == kNone ? std::string_view() : ids.Text(code);
}

std::string FlagText(Flag flag) {
  switch (flag) {
    case Flag::kNull:
      return {};
    case Flag::kFalse:
      return "false";
    case Flag::kTrue:
      return "true";
  }
  return {};
}

std::string AmountText(std::optional<int64_t> ore) {
  if (!ore) return {};
  if (*ore % 100 == 0) return fmt::format("{}", *ore / 100);
  const int64_t magnitude = *ore < 0 ? -*ore : *ore;
  return fmt::format("{}{}.{:02}", *ore < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

template <typename Enum>
std::string_view NameUnlessUnspecified(Enum value, std::string_view (*name_of)(Enum)) {
  return value == Enum::kUnspecified ? std::string_view() : name_of(value);
}

}  // namespace

UnitRow MakeUnitRow(const Dataset& data, uint32_t unit) {
  const Unit& u = data.units[unit];
  return {u.id, u.parent == kNone ? std::string_view() : data.units[u.parent].id,
          UnitKindName(u.kind), u.name};
}

WorkerRow MakeWorkerRow(const Dataset& data, uint32_t worker) {
  const Worker& w = data.workers[worker];
  return {w.id, w.name, data.units[w.unit].id, w.fte};
}

ChildRow MakeChildRow(const Dataset& data, uint32_t child) {
  const Child& c = data.children[child];
  return {c.id, c.birth_date, data.units[c.unit].id, c.cpr_hash};
}

EventRow MakeEventRow(const Dataset& data, uint32_t event) {
  return MakeEventRow(data, data.ChildAt(event), event);
}

EventRow MakeEventRow(const Dataset& data, uint32_t child, uint32_t event) {
  const Event& e = data.events[event];
  EventRow row;
  row.event_id = data.event_ids.Text(e.id);
  row.child_id = data.children[child].id;
  row.type = EventTypeName(e.type);
  row.at = e.at.seconds;
  row.date_only = e.date_only();
  row.day = Calendar::Danish().LocalDate(e.at);
  row.worker_id = e.worker == kNone ? std::string_view() : data.workers[e.worker].id;
  row.ref = e.ref == kNone ? std::string_view() : data.event_ids.Text(data.events[e.ref].id);
  row.measure_id = IdOrEmpty(data.measure_ids, e.measure);
  row.measure_type =
      e.measure_type() == kNoCode ? std::string_view() : data.measure_types.Text(e.measure_type());
  row.placement = FlagOf(e, EventFlag::kPlacement);
  row.professional = FlagOf(e, EventFlag::kProfessional);
  row.acute = FlagOf(e, EventFlag::kAcute);
  row.reasoned = FlagOf(e, EventFlag::kReasoned);
  row.states_effort = FlagOf(e, EventFlag::kStatesEffort);
  row.source = NameUnlessUnspecified(e.source, NotificationSourceName);
  row.context = NameUnlessUnspecified(e.context, ConversationContextName);
  row.decision = NameUnlessUnspecified(e.decision, DecisionKindName);
  row.rule_id = e.rule() == kNoCode ? std::string_view() : data.rule_ids.Text(e.rule());
  if (const EventDetails* details = data.DetailsOf(event); details != nullptr) {
    if (details->legal_basis != kNone)
      row.legal_basis = data.detail_texts.Text(details->legal_basis);
    if (details->reason != kNone) row.reason = data.detail_texts.Text(details->reason);
    if (details->amount_ore != EventDetails::kNoAmount) row.amount_ore = details->amount_ore;
  }
  return row;
}

EventTexts EventColumnTexts(const Dataset& data, uint32_t event, const Calendar& calendar) {
  const EventRow row = MakeEventRow(data, event);
  const std::string at =
      row.date_only ? FormatDate(row.day) : calendar.FormatInstant(Instant{row.at});
  return {{
      {"event_id", std::string(row.event_id)},
      {"child_id", std::string(row.child_id)},
      {"type", std::string(row.type)},
      {"at", at},
      {"worker_id", std::string(row.worker_id)},
      {"ref", std::string(row.ref)},
      {"measure_id", std::string(row.measure_id)},
      {"measure_type", std::string(row.measure_type)},
      {"placement", FlagText(row.placement)},
      {"legal_basis", std::string(row.legal_basis)},
      {"source", std::string(row.source)},
      {"professional", FlagText(row.professional)},
      {"acute", FlagText(row.acute)},
      {"context", std::string(row.context)},
      {"decision", std::string(row.decision)},
      {"reasoned", FlagText(row.reasoned)},
      {"states_effort", FlagText(row.states_effort)},
      {"rule_id", std::string(row.rule_id)},
      {"reason", std::string(row.reason)},
      {"amount", AmountText(row.amount_ore)},
  }};
}

void DatasetLoader::Reserve(size_t units, size_t workers, size_t children, size_t events) {
  data_.units.reserve(units);
  data_.workers.reserve(workers);
  data_.children.reserve(children);
  data_.events.reserve(events);
  child_of_.reserve(events);
  child_ids_.Reserve(children, children * kTypicalIdBytes);
  data_.event_ids.Reserve(events, events * kTypicalIdBytes);
}

uint32_t DatasetLoader::Lookup(const Interner& ids, std::string_view id, std::string_view what,
                               std::string_view row_kind, std::string_view row_id,
                               Status& status) const {
  const uint32_t index = ids.Find(id);
  if (index == kNone && status) {
    status = DataLoss(fmt::format("stored {} \"{}\" refers to {} \"{}\", which is not in the store",
                                  row_kind, row_id, what, id));
  }
  return index;
}

Status DatasetLoader::AddUnit(const UnitRow& row) {
  const std::optional<UnitKind> kind = ParseUnitKind(row.kind);
  if (!kind) {
    return DataLoss(
        fmt::format("stored unit \"{}\" has an unknown kind \"{}\"", row.unit_id, row.kind));
  }
  if (unit_ids_.Intern(row.unit_id) != data_.units.size()) {
    return DataLoss(fmt::format("unit \"{}\" is stored twice", row.unit_id));
  }
  data_.units.push_back(Unit{std::string(row.unit_id), std::string(row.name), kNone, *kind});
  unit_parents_.emplace_back(row.parent_id);
  return {};
}

Status DatasetLoader::ResolveUnitParents() {
  units_resolved_ = true;
  Status status;
  for (size_t i = 0; i < data_.units.size(); ++i) {
    if (unit_parents_[i].empty()) continue;
    data_.units[i].parent =
        Lookup(unit_ids_, unit_parents_[i], "parent unit", "unit", data_.units[i].id, status);
  }
  unit_parents_ = {};
  return status;
}

Status DatasetLoader::AddWorker(const WorkerRow& row) {
  if (!units_resolved_) {
    if (Status status = ResolveUnitParents(); !status) return status;
  }
  Status status;
  const uint32_t unit = Lookup(unit_ids_, row.unit_id, "unit", "worker", row.worker_id, status);
  if (!status) return status;
  if (worker_ids_.Intern(row.worker_id) != data_.workers.size()) {
    return DataLoss(fmt::format("worker \"{}\" is stored twice", row.worker_id));
  }
  data_.workers.push_back(Worker{std::string(row.worker_id), std::string(row.name), unit, row.fte});
  return {};
}

Status DatasetLoader::AddChild(const ChildRow& row) {
  if (!units_resolved_) {
    if (Status status = ResolveUnitParents(); !status) return status;
  }
  Status status;
  const uint32_t unit = Lookup(unit_ids_, row.unit_id, "unit", "child", row.child_id, status);
  if (!status) return status;
  if (child_ids_.Intern(row.child_id) != data_.children.size()) {
    return DataLoss(fmt::format("child \"{}\" is stored twice", row.child_id));
  }
  data_.children.push_back(
      Child{std::string(row.child_id), row.birth_date, unit, std::string(row.cpr_hash)});
  return {};
}

Status DatasetLoader::AddEvent(const EventRow& row) {
  const auto position = static_cast<uint32_t>(data_.events.size());
  const auto bad = [&](std::string_view column, std::string_view value) {
    return DataLoss(
        fmt::format("stored event \"{}\" has an unknown {} \"{}\"", row.event_id, column, value));
  };
  Event event;
  event.at = Instant{row.at};
  event.Set(EventFlag::kDateOnly, row.date_only);
  const std::optional<EventType> type = ParseEventType(row.type);
  if (!type) return bad("type", row.type);
  event.type = *type;
  Status status;
  const uint32_t child = Lookup(child_ids_, row.child_id, "child", "event", row.event_id, status);
  if (!row.worker_id.empty()) {
    event.worker = Lookup(worker_ids_, row.worker_id, "worker", "event", row.event_id, status);
  }
  if (!status) return status;
  if (!row.measure_id.empty()) event.measure = data_.measure_ids.Intern(row.measure_id);
  // An exemption's code is its rule's, any other event's its measure type's (Event::code).
  if (event.type == EventType::kExemption) {
    if (!row.rule_id.empty())
      event.code = static_cast<uint16_t>(data_.rule_ids.Intern(row.rule_id));
  } else if (!row.measure_type.empty()) {
    event.code = static_cast<uint16_t>(data_.measure_types.Intern(row.measure_type));
  }
  if (data_.measure_types.size() >= kNoCode || data_.rule_ids.size() >= kNoCode) {
    return DataLoss(fmt::format("stored event \"{}\" has more than {} measure types or rule ids",
                                row.event_id, kNoCode - 1));
  }
  SetFlag(event, EventFlag::kPlacement, row.placement);
  SetFlag(event, EventFlag::kProfessional, row.professional);
  SetFlag(event, EventFlag::kAcute, row.acute);
  SetFlag(event, EventFlag::kReasoned, row.reasoned);
  SetFlag(event, EventFlag::kStatesEffort, row.states_effort);
  if (!row.source.empty()) {
    const std::optional<NotificationSource> source = ParseNotificationSource(row.source);
    if (!source) return bad("source", row.source);
    event.source = *source;
  }
  if (!row.context.empty()) {
    const std::optional<ConversationContext> context = ParseConversationContext(row.context);
    if (!context) return bad("context", row.context);
    event.context = *context;
  }
  if (!row.decision.empty()) {
    const std::optional<DecisionKind> decision = ParseDecisionKind(row.decision);
    if (!decision) return bad("decision", row.decision);
    event.decision = *decision;
  }
  event.id = data_.event_ids.Intern(row.event_id);
  if (event.id != position) {
    return DataLoss(fmt::format("event \"{}\" is stored twice", row.event_id));
  }
  if (!row.ref.empty()) {
    event.ref = data_.event_ids.Find(row.ref);
    if (event.ref == kNone) {
      pending_refs_.push_back({position, pending_text_.size(), row.ref.size()});
      pending_text_.append(row.ref);
    }
  }
  data_.events.push_back(event);
  child_of_.push_back(child);
  if (keep_details_) {
    data_.AddDetails(data_.MakeDetails(row.legal_basis, row.reason, row.amount_ore));
  }
  return {};
}

Result<Dataset> DatasetLoader::Finish() {
  if (!units_resolved_) {
    if (Status status = ResolveUnitParents(); !status) return std::move(status).error();
  }
  for (const PendingRef& pending : pending_refs_) {
    const std::string_view ref(pending_text_.data() + pending.offset, pending.size);
    const uint32_t target = data_.event_ids.Find(ref);
    if (target == kNone) {
      return DataLoss(
          fmt::format("stored event \"{}\" refers to event \"{}\", which is not in "
                      "the store",
                      data_.event_ids.Text(data_.events[pending.event].id), ref));
    }
    data_.events[pending.event].ref = target;
  }
  pending_refs_ = {};
  pending_text_ = {};
  ArrangeEventsByChild(data_, std::move(child_of_));
  // The loaded index lives as long as the server: it keeps what it holds, not what was reserved.
  ShrinkToFit(data_);
  return std::move(data_);
}

}  // namespace tilsyn

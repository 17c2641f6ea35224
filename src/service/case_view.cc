#include "service/case_view.h"

#include <algorithm>
#include <array>

#include "analytics/case_state.h"
#include "service/lookup.h"

namespace tilsyn {
namespace {

constexpr std::array<std::string_view, 5> kDecisionDanish = {"", "bevilling", "afslag", "ændring",
                                                             "ophør"};
constexpr std::array<std::string_view, 6> kContextDanish = {
    "", "børnefaglig undersøgelse", "afgørelse", "tilsyn", "opfølgning", "andet"};

CaseEventView ViewEvent(const Engine& engine, uint32_t position) {
  const Dataset& data = engine.data();
  const Event& event = data.events[position];
  CaseEventView view;
  view.event_id = data.event_ids.Text(event.id);
  view.type = event.type;
  view.type_name = EventTypeDanish(event.type);
  view.at = event.at;
  view.day = engine.calendar().LocalDate(event.at);
  view.date_only = event.date_only();
  if (event.worker != kNone) {
    view.worker_id = data.workers[event.worker].id;
    view.worker_name = data.workers[event.worker].name;
  }
  if (event.ref != kNone) view.ref_id = data.event_ids.Text(data.events[event.ref].id);
  if (event.measure != kNone) view.measure_id = data.measure_ids.Text(event.measure);
  if (event.measure_type() != kNoCode) {
    view.measure_type = data.measure_types.Text(event.measure_type());
    const MeasureType* type = engine.catalogue().FindMeasureType(view.measure_type);
    view.measure_type_name = type != nullptr ? type->name : view.measure_type;
  }
  view.decision = kDecisionDanish[static_cast<size_t>(event.decision)];
  view.context = kContextDanish[static_cast<size_t>(event.context)];
  if (event.Has(EventFlag::kPlacement)) view.placement = event.Is(EventFlag::kPlacement);
  if (event.rule() != kNoCode) view.rule_id = data.rule_ids.Text(event.rule());
  view.reason = data.ReasonOf(position);
  view.legal_basis = data.LegalBasisOf(position);
  return view;
}

}  // namespace

Result<CaseView> BuildCaseView(const Engine& engine, const std::string& child_id, Date as_of) {
  Result<uint32_t> child = ResolveChild(engine.data(), child_id);
  if (!child) return child.error();
  return BuildCaseView(engine, *child, as_of);
}

CaseView BuildCaseView(const Engine& engine, uint32_t child, Date as_of) {
  const Dataset& data = engine.data();

  CaseView view;
  view.as_of = as_of;
  view.child_id = data.children[child].id;
  view.birth_date = data.children[child].birth_date;
  const CaseState state = ChildCaseState(data, child, as_of);
  view.open = state.open();
  view.opened = state.opened;
  view.closed = state.closed;
  if (state.worker != kNone) {
    view.worker_id = data.workers[state.worker].id;
    view.worker_name = data.workers[state.worker].name;
  }
  view.unit_id = data.units[state.unit].id;
  view.unit_name = data.units[state.unit].name;

  const uint32_t first = data.FirstEventOf(child);
  const std::span<const Event> events = data.EventsOf(child);
  std::vector<uint32_t> retracted;
  const Instant known_end = engine.calendar().EndOfDay(as_of);
  for (uint32_t i = 0; i < events.size() && events[i].at <= known_end; ++i) {
    view.events.push_back(ViewEvent(engine, first + i));
    if (events[i].type == EventType::kRetraction && events[i].ref != kNone) {
      retracted.push_back(events[i].ref);
    }
  }
  for (const uint32_t position : retracted) {
    // A retraction names an event of the same child, known when the retraction is.
    if (position >= first && position - first < view.events.size()) {
      view.events[position - first].retracted = true;
    }
  }

  std::vector<Obligation> obligations;
  engine.EvaluateChild(child, as_of, obligations);
  std::stable_sort(obligations.begin(), obligations.end(),
                   [](const Obligation& a, const Obligation& b) {
                     return a.due != b.due ? a.due < b.due : a.rule < b.rule;
                   });
  view.obligations.reserve(obligations.size());
  for (const Obligation& obligation : obligations) {
    view.obligations.push_back(ViewObligation(engine, obligation));
  }
  return view;
}

}  // namespace tilsyn

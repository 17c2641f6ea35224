#include "service/obligation_view.h"

#include "analytics/obligation_query.h"

namespace tilsyn {

ObligationView ViewObligation(const Engine& engine, const Obligation& obligation) {
  const Dataset& data = engine.data();
  const Rule& rule = engine.catalogue().rules[obligation.rule];
  const RuleVersion& version = rule.versions[obligation.version];
  const Event& trigger = data.events[obligation.trigger];
  ObligationView view;
  view.rule_id = rule.id;
  view.rule_name = rule.name;
  view.law = LawName(version.law);
  view.legal_reference = version.reference;
  view.legal_reference_confirmed = version.reference_confirmed;
  view.child_id = data.children[obligation.child].id;
  view.trigger_id = data.event_ids.Text(trigger.id);
  view.trigger_type = EventTypeDanish(trigger.type);
  view.trigger_at = trigger.at;
  view.due = obligation.due;
  view.due_day = obligation.due_day;
  view.status = obligation.status;
  if (obligation.fulfilled_by != kNone) {
    view.fulfilled_by_id = data.event_ids.Text(data.events[obligation.fulfilled_by].id);
  }
  if (obligation.worker != kNone) {
    view.worker_id = data.workers[obligation.worker].id;
    view.worker_name = data.workers[obligation.worker].name;
  }
  view.unit_id = data.units[obligation.unit].id;
  view.unit_name = data.units[obligation.unit].name;
  view.time_assumed = obligation.time_assumed;
  if (StatusSet::Pending().Contains(obligation.status)) view.next_step = rule.next_step;
  return view;
}

}  // namespace tilsyn

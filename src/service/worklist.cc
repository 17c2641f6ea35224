#include "service/worklist.h"

#include <fmt/format.h>

#include "analytics/worklist.h"
#include "service/lookup.h"

namespace tilsyn {

Result<Worklist> BuildWorklist(const Engine& engine, std::span<const Obligation> obligations,
                               const WorklistRequest& request) {
  const Dataset& data = engine.data();
  Result<uint32_t> worker = ResolveWorker(data, request.worker_id);
  if (!worker) return worker.error();
  WorklistFilter filter;
  Result<std::optional<uint16_t>> rule = ResolveRule(engine.catalogue(), request.rule_id);
  if (!rule) return rule.error();
  filter.rule = *rule;
  if (request.due_within_days && *request.due_within_days < 0) {
    return InvalidArgument(
        fmt::format("due within {} days: give 0 days or more", *request.due_within_days));
  }
  filter.due_within_days = request.due_within_days;
  filter.overdue_only = request.overdue_only;
  filter.include_closed_cases = request.include_closed_cases;

  Worklist worklist;
  worklist.as_of = request.as_of;
  worklist.worker_id = data.workers[*worker].id;
  worklist.worker_name = data.workers[*worker].name;
  for (const Obligation& obligation :
       ComputeWorklist(obligations, data, *worker, request.as_of, filter)) {
    worklist.items.push_back(
        {ViewObligation(engine, obligation), obligation.due_day.days - request.as_of.days});
  }
  return worklist;
}

}  // namespace tilsyn

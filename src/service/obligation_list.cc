#include "service/obligation_list.h"

#include <fmt/format.h>

#include "service/lookup.h"

namespace tilsyn {

Result<ObligationList> ListObligations(const Engine& engine,
                                       std::span<const Obligation> obligations,
                                       const ObligationListRequest& request) {
  const Dataset& data = engine.data();
  ObligationFilter filter;
  if (Status period = CheckPeriod(request.period); !period) return period.error();
  filter.period = request.period;
  const std::optional<StatusSet> statuses = ParseStatusSet(request.status);
  if (!statuses) {
    return InvalidArgument(fmt::format("unknown status \"{}\"; give one of: {}", request.status,
                                       fmt::join(StatusSetNames(), ", ")));
  }
  filter.statuses = *statuses;
  Result<std::optional<uint16_t>> rule = ResolveRule(engine.catalogue(), request.rule_id);
  if (!rule) return rule.error();
  filter.rule = *rule;
  Result<uint32_t> unit = ResolveUnit(data, request.unit_id);
  if (!unit) return unit.error();
  filter.unit = *unit;
  if (request.worker_id) {
    if (request.worker_id->empty()) {
      filter.worker = kNone;
    } else {
      Result<uint32_t> worker = ResolveWorker(data, *request.worker_id);
      if (!worker) return worker.error();
      filter.worker = *worker;
    }
  }

  const ObligationPage page = QueryObligations(obligations, data, filter, request.page);
  ObligationList list;
  list.total = page.total;
  list.offset = request.page.offset;
  list.rows.reserve(page.rows.size());
  for (const Obligation& obligation : page.rows) {
    list.rows.push_back(ViewObligation(engine, obligation));
  }
  return list;
}

}  // namespace tilsyn

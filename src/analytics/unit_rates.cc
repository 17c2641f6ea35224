#include "analytics/unit_rates.h"

#include "analytics/scope.h"

namespace tilsyn {

UnitRates ComputeUnitRates(std::span<const Obligation> obligations, const Dataset& data,
                           size_t rule_count, uint32_t unit, const Period& period) {
  const UnitSubtree subtree(data, unit);
  UnitRates rates;
  rates.by_rule.resize(rule_count);
  rates.unassigned.resize(rule_count);
  std::vector<uint32_t> slot_of_worker(data.workers.size(), kNone);
  const auto add_worker = [&](uint32_t worker) {
    slot_of_worker[worker] = static_cast<uint32_t>(rates.workers.size());
    rates.workers.push_back(worker);
    rates.by_worker.emplace_back(rule_count);
  };
  for (uint32_t worker = 0; worker < data.workers.size(); ++worker) {
    if (subtree.Contains(data.workers[worker].unit)) add_worker(worker);
  }
  for (const Obligation& obligation : obligations) {
    if (!subtree.Contains(obligation.unit) || !CountsFor(obligation, period)) continue;
    rates.by_rule[obligation.rule].Add(obligation);
    if (obligation.worker == kNone) {
      rates.unassigned[obligation.rule].Add(obligation);
      continue;
    }
    if (slot_of_worker[obligation.worker] == kNone) add_worker(obligation.worker);
    rates.by_worker[slot_of_worker[obligation.worker]][obligation.rule].Add(obligation);
  }
  return rates;
}

}  // namespace tilsyn

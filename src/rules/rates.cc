#include "rules/rates.h"

namespace tilsyn {

int64_t StatusCounts::Denominator() const {
  return Of(ObligationStatus::kMet) + Of(ObligationStatus::kMetLate) +
         Of(ObligationStatus::kOverdue);
}

int64_t StatusCounts::Done() const {
  return Of(ObligationStatus::kMet) + Of(ObligationStatus::kMetLate);
}

std::optional<double> StatusCounts::Rate() const {
  const int64_t denominator = Denominator();
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(Of(ObligationStatus::kMet)) / static_cast<double>(denominator);
}

void StatusCounts::Add(const Obligation& obligation) {
  ++count[static_cast<size_t>(obligation.status)];
  if (obligation.time_assumed) ++time_assumed;
}

StatusCounts& StatusCounts::operator+=(const StatusCounts& other) {
  for (size_t i = 0; i < count.size(); ++i) count[i] += other.count[i];
  time_assumed += other.time_assumed;
  return *this;
}

std::vector<StatusCounts> RatesByRule(std::span<const Obligation> obligations, size_t rule_count,
                                      const Period& period) {
  std::vector<StatusCounts> by_rule(rule_count);
  for (const Obligation& obligation : obligations) {
    if (CountsFor(obligation, period)) by_rule[obligation.rule].Add(obligation);
  }
  return by_rule;
}

RateBreakdown ComputeRateBreakdown(std::span<const Obligation> obligations, const Dataset& data,
                                   size_t rule_count, const Period& period) {
  RateBreakdown result;
  result.by_rule.resize(rule_count);
  std::vector<std::vector<StatusCounts>> own(data.units.size(),
                                             std::vector<StatusCounts>(rule_count));
  result.by_worker.assign(data.workers.size(), std::vector<StatusCounts>(rule_count));
  for (const Obligation& obligation : obligations) {
    if (!CountsFor(obligation, period)) continue;
    result.by_rule[obligation.rule].Add(obligation);
    own[obligation.unit][obligation.rule].Add(obligation);
    if (obligation.worker != kNone)
      result.by_worker[obligation.worker][obligation.rule].Add(obligation);
  }
  result.by_unit.assign(data.units.size(), std::vector<StatusCounts>(rule_count));
  for (size_t unit = 0; unit < data.units.size(); ++unit) {
    // Each unit's own counts go to it and every ancestor; units form a tree (checked at import).
    for (uint32_t target = static_cast<uint32_t>(unit); target != kNone;
         target = data.units[target].parent) {
      for (size_t rule = 0; rule < rule_count; ++rule)
        result.by_unit[target][rule] += own[unit][rule];
    }
  }
  return result;
}

}  // namespace tilsyn

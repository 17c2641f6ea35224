#include "simulate/compliance.h"

#include <algorithm>
#include <cmath>

namespace tilsyn::simulate {
namespace {

// The assumed rates matter only where the catalogue gives no national figure: for the four rules
// the barometer does not measure, and for any rule whose figures someone removed. They are
// plausible levels, not measurements: a receipt is a standard letter and usually sent; feedback
// to notifiers is the step municipalities most often forget; most supervision visits include a
// conversation; an aftercare decision is often made late, close to the 18th birthday.
constexpr std::array<RequirementInfo, kRequirementCount> kInfo = {{
    {"notification_assessed_24h", Domain::kIntake, 0.90},
    {"notification_receipt_6_weekdays", Domain::kIntake, 0.85},
    {"professional_feedback", Domain::kIntake, 0.60},
    {"assessment_within_4_months", Domain::kAssessment, 0.50},
    {"conversation_in_assessment", Domain::kAssessment, 0.90},
    {"assessment_made", Domain::kAssessment, 0.70},
    {"assessment_before_decision", Domain::kAssessment, 0.85},
    {"reasoned_decision", Domain::kDecision, 0.90},
    {"conversation_before_decision", Domain::kDecision, 0.60},
    {"plan_for_measure", Domain::kDecision, 0.75},
    {"plan_states_effort", Domain::kDecision, 0.95},
    {"first_follow_up_3_months", Domain::kFollowUp, 0.60},
    {"follow_up_6_months", Domain::kFollowUp, 0.50},
    {"supervision_twice_yearly", Domain::kFollowUp, 0.70},
    {"supervision_with_conversation", Domain::kFollowUp, 0.85},
    {"aftercare_decision", Domain::kFollowUp, 0.70},
}};

}  // namespace

const RequirementInfo& InfoOf(Requirement requirement) {
  return kInfo[static_cast<size_t>(requirement)];
}

double ComplianceTargets::MeasuredRateOf(Requirement requirement) const {
  if (requirement == Requirement::kAssessmentBeforeDecision) {
    return RateOf(Requirement::kAssessmentMade) * RateOf(requirement);
  }
  return RateOf(requirement);
}

ComplianceTargets TargetsFromCatalogue(const Catalogue& catalogue) {
  ComplianceTargets targets;
  for (size_t i = 0; i < kRequirementCount; ++i) {
    const RequirementInfo& info = kInfo[i];
    targets.rate[i] = info.assumed_rate;
    targets.rule[i] = catalogue.FindRule(info.rule);
    if (targets.rule[i] < 0) continue;
    const Rule& rule = catalogue.rules[static_cast<size_t>(targets.rule[i])];
    const NationalFigure* latest = rule.LatestNationalFigure();
    if (latest == nullptr) continue;
    targets.rate[i] = latest->percent / 100.0;
    targets.national[i] = true;
  }
  return targets;
}

double MetProbability(double target, double effect, double cases_per_fte, double reference_load) {
  // Every case above the reference costs one point at a 50 % target, every case below gains one,
  // up to 15 points either way.
  const double workload = std::clamp(0.01 * (reference_load - cases_per_fte), -0.15, 0.15);
  const double scale = 2 * std::sqrt(target * (1 - target));
  return std::clamp(target + (effect + workload) * scale, 0.01, 0.995);
}

}  // namespace tilsyn::simulate

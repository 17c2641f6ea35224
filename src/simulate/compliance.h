#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/catalogue.h"

namespace tilsyn::simulate {

// The requirements whose fulfilment the simulation draws: one per rule of the version 1
// catalogue. The simulation knows what a caseworker does to meet each; the catalogue knows how it
// is measured.
enum class Requirement : uint8_t {
  kNotificationAssessed24h,
  kNotificationReceipt6Weekdays,
  kProfessionalFeedback,
  kAssessmentWithin4Months,
  kConversationInAssessment,
  kAssessmentMade,
  kAssessmentBeforeDecision,
  kReasonedDecision,
  kConversationBeforeDecision,
  kPlanForMeasure,
  kPlanStatesEffort,
  kFirstFollowUp3Months,
  kFollowUp6Months,
  kSupervisionTwiceYearly,
  kSupervisionWithConversation,
  kAftercareDecision,
};
inline constexpr size_t kRequirementCount = 16;

// The parts of the work. A team is better or worse at a part as a whole (one team answers every
// notification in time, another lets its follow-ups slide), and so is each caseworker.
enum class Domain : uint8_t { kIntake, kAssessment, kDecision, kFollowUp };
inline constexpr size_t kDomainCount = 4;

// What the simulation knows about a requirement besides its rate.
struct RequirementInfo {
  std::string_view rule;  // the rule's id in the catalogue
  Domain domain;
  // The rate used where the catalogue has no national figure for the rule: an assumption, stated
  // where the table is defined.
  double assumed_rate;
};
const RequirementInfo& InfoOf(Requirement requirement);

// The simulation's aims, one per requirement.
struct ComplianceTargets {
  // The probability an average caseworker meets the requirement. For every requirement but one
  // this is the share of its obligations `tilsyn check` should find met on time. The exception is
  // kAssessmentBeforeDecision: the barometer counts it among decisions that had an assessment
  // (its 87 % is above the 71 % with an assessment at all), so the simulation draws it only for
  // those, and check, counting every grant, should find about the product of the two.
  std::array<double, kRequirementCount> rate{};
  // The rule's index in the catalogue, or -1 where the catalogue lacks it (then nothing measures
  // it, and an exemption cannot name it).
  std::array<int, kRequirementCount> rule{};
  // Whether `rate` came from the catalogue's national figures (else the assumed rate).
  std::array<bool, kRequirementCount> national{};

  double RateOf(Requirement requirement) const { return rate[static_cast<size_t>(requirement)]; }
  int RuleOf(Requirement requirement) const { return rule[static_cast<size_t>(requirement)]; }
  // The share of the rule's obligations `tilsyn check` should find met on time.
  double MeasuredRateOf(Requirement requirement) const;
};

// The targets for a catalogue: each rule's most recent national figure (Ankestyrelsen's
// Børnesagsbarometer, shared/domain/national-figures.md, kept in the rule files as
// `national_percent`, Rule::LatestNationalFigure), else the assumed rate.
ComplianceTargets TargetsFromCatalogue(const Catalogue& catalogue);

// The probability that a caseworker meets a requirement whose target is `target`, given the sum
// of their team's and their own effect on its domain and their team's caseload per full-time
// equivalent against the caseload that is usual (`reference_load`).
// Effects are in probability at a 50 % target and shrink towards 0 and 1, so that a 98 % target
// stays below 100 % for a good caseworker and a bad one still meets most of it. A caseload above
// the reference lowers the probability, one below it raises it, so that over teams around the
// reference the mean stays at the target.
double MetProbability(double target, double effect, double cases_per_fte, double reference_load);

// The caseload per full-time caseworker the simulated authorities staff their teams for, on the
// whole (one with no cases yet compares its teams with this).
inline constexpr double kReferenceCaseload = 27.5;

}  // namespace tilsyn::simulate

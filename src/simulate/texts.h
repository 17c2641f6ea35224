#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "simulate/random.h"

namespace tilsyn::simulate {

// The free texts a case system holds in `reason`: why a case was closed, why a conversation was
// waived, why an obligation was exempted or a registration retracted. Danish, as caseworkers write
// them.
enum class Text : uint8_t {
  kNone,
  // case_closed after the screening of a notification (afdækning)
  kClosedScreeningNoConcern,
  kClosedScreeningParents,
  kClosedScreeningOpenCounselling,
  kClosedScreeningCourse,
  kClosedScreeningSchool,
  kClosedScreeningAnonymous,
  // case_closed after an assessment or a refusal
  kClosedAssessmentNoNeed,
  kClosedAssessmentGeneralSupport,
  kClosedRefused,
  kClosedMoved,
  // case_closed after the last measure ended
  kClosedGoalReached,
  kClosedPlanGoalsMet,
  kClosedReturnedHome,
  kClosedYoungPersonDeclines,
  // case_closed at 18
  kClosedAdultWithSupport,
  kClosedAdultDeclined,
  // conversation_waived: the child is too young to talk, by context and age
  kWaivedAssessmentUnder1,
  kWaivedAssessment1,
  kWaivedAssessment2,
  kWaivedDecisionUnder1,
  kWaivedDecision1,
  kWaivedDecision2,
  kWaivedSupervisionUnder1,
  kWaivedSupervision1,
  kWaivedSupervision2,
  // conversation_waived: an older child declined
  kWaivedDeclined,
  // exemption, one per rule that is exempted
  kExemptConversationHospital,
  kExemptAssessmentPsychiatry,
  kExemptFollowUpAbroad,
  kExemptSupervisionAbroad,
  // retraction
  kRetractedDuplicate,
  kRetractedWrongEnd,
  kCount,
};

// The text, without quoting; empty for kNone.
std::string_view TextOf(Text text);

// A caseworker's or leader's name, as common Danish first, middle and last names come.
std::string PersonName(Random& random);

// How many different municipality names there are.
inline constexpr size_t kMunicipalityNameCount = 224;

// `count` (at most kMunicipalityNameCount) different, fictional municipality names ("Birkelund
// Kommune"), none of them a real municipality's, so that generated figures are never read as a
// real municipality's.
std::vector<std::string> MunicipalityNames(size_t count, Random& random);

// The name of district `index` ("Distrikt Nord").
std::string DistrictName(size_t index);

}  // namespace tilsyn::simulate

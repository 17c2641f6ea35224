#include "simulate/measures.h"

#include <array>
#include <string_view>

namespace tilsyn::simulate {
namespace {

struct KnownProfile {
  std::string_view code;
  double weight;
  int min_age, max_age;
  int min_months, max_months;
  int min_cost, max_cost;
  std::string_view serviceloven;
};

// Weights follow the intervention staircase: most support is preventive and placements are the
// few (about one child in four with support is placed, and placements last longest, so they are
// about one in eight new grants). Monthly costs are in line with what Danish municipalities pay:
// family treatment tens of thousands, residential care 70,000 and more. The Serviceloven sections
// are those of § 52, stk. 3 (and § 11, stk. 3 for preventive counselling); Barnets Lov gathers
// support in § 32 and placements in §§ 46–47 (with and without consent).
constexpr std::array<KnownProfile, 11> kKnown = {{
    {"counselling", 10, 0, 17, 3, 9, 4000, 9000, "SEL § 11, stk. 3"},
    {"contact_person", 22, 8, 17, 8, 30, 6000, 15000, "SEL § 52, stk. 3, nr. 6"},
    {"family_treatment", 28, 0, 15, 6, 18, 15000, 45000, "SEL § 52, stk. 3, nr. 3"},
    {"practical_support", 10, 0, 12, 4, 12, 8000, 20000, "SEL § 52, stk. 3, nr. 2"},
    {"day_treatment", 3, 6, 14, 12, 30, 30000, 55000, "SEL § 52, stk. 3, nr. 3"},
    {"respite_care", 7, 3, 15, 12, 36, 12000, 30000, "SEL § 52, stk. 3, nr. 5"},
    {"network_care", 2, 0, 17, 24, 120, 9000, 16000, "SEL § 52, stk. 3, nr. 7"},
    {"foster_care", 4, 0, 15, 24, 144, 30000, 55000, "SEL § 52, stk. 3, nr. 7"},
    {"residential_home", 2, 10, 17, 12, 48, 55000, 85000, "SEL § 52, stk. 3, nr. 7"},
    {"residential_care", 2, 6, 17, 6, 36, 70000, 130000, "SEL § 52, stk. 3, nr. 7"},
    {"own_room", 1, 15, 17, 6, 24, 18000, 35000, "SEL § 52, stk. 3, nr. 7"},
}};

constexpr KnownProfile kOtherSupport = {"", 5, 0, 17, 6, 18, 10000, 30000, "SEL § 52, stk. 3"};
constexpr KnownProfile kOtherPlacement = {
    "", 1, 0, 17, 12, 48, 40000, 80000, "SEL § 52, stk. 3, nr. 7"};

}  // namespace

std::vector<MeasureProfile> MeasureProfiles(const Catalogue& catalogue) {
  std::vector<MeasureProfile> profiles;
  for (size_t i = 0; i < catalogue.measure_types.size(); ++i) {
    const MeasureType& type = catalogue.measure_types[i];
    const KnownProfile* known = type.placement ? &kOtherPlacement : &kOtherSupport;
    for (const KnownProfile& candidate : kKnown) {
      if (candidate.code == type.code) known = &candidate;
    }
    MeasureProfile profile;
    profile.type = static_cast<uint16_t>(i);
    profile.placement = type.placement;
    profile.weight = known->weight;
    profile.min_age = known->min_age;
    profile.max_age = known->max_age;
    profile.min_months = known->min_months;
    profile.max_months = known->max_months;
    profile.min_cost = known->min_cost;
    profile.max_cost = known->max_cost;
    profile.serviceloven = known->serviceloven;
    profile.barnets_lov = type.placement ? "BL § 46" : "BL § 32, stk. 1";
    profile.serviceloven_without_consent = "SEL § 58";
    profile.barnets_lov_without_consent = "BL § 47";
    profiles.push_back(profile);
  }
  return profiles;
}

}  // namespace tilsyn::simulate

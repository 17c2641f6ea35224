#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rules/catalogue.h"

namespace tilsyn::simulate {

// How a measure type of the service catalogue is used: how often, for whom, for how long and at
// what cost. Known types have their own figures; a type a municipality adds to its catalogue gets
// those of its kind (placement or not).
struct MeasureProfile {
  uint16_t type = 0;  // index in Catalogue::measure_types
  bool placement = false;
  double weight = 0;  // relative frequency among new grants of its kind
  int min_age = 0;    // the ages (in whole years) it is granted at
  int max_age = 17;
  int min_months = 0;  // planned duration
  int max_months = 0;
  int min_cost = 0;  // DKK per month
  int max_cost = 0;
  // The legal basis a decision states under Serviceloven and Barnets Lov; for placements, the
  // second pair is for a placement without consent.
  std::string_view serviceloven;
  std::string_view barnets_lov;
  std::string_view serviceloven_without_consent;
  std::string_view barnets_lov_without_consent;
};

// One profile per measure type of the catalogue, in catalogue order.
std::vector<MeasureProfile> MeasureProfiles(const Catalogue& catalogue);

}  // namespace tilsyn::simulate

#pragma once

#include <cstdint>
#include <string_view>

#include "core/event.h"
#include "core/time.h"

namespace tilsyn {

enum class ObligationStatus : uint8_t {
  kMet,
  kMetLate,
  kOverdue,
  kOpen,
  kExempted,
  kNotApplicable
};
inline constexpr int kObligationStatusCount = 6;
std::string_view ObligationStatusName(ObligationStatus status);    // "met_late"
std::string_view ObligationStatusDanish(ObligationStatus status);  // "overholdt for sent"

// One obligation of one child as of a date: what rule, what started it, when it is due, what
// fulfilled it and whose it is. Indices refer to the Dataset and the Catalogue it came from.
struct Obligation {
  Instant due;
  Date due_day;  // the local date of `due`
  uint32_t child = kNone;
  uint32_t trigger = kNone;       // position in Dataset::events
  uint32_t fulfilled_by = kNone;  // position in Dataset::events, or kNone
  uint32_t worker = kNone;        // index in Dataset::workers, or kNone
  uint32_t unit = kNone;          // index in Dataset::units
  uint16_t rule = 0;              // index in Catalogue::rules
  uint8_t version = 0;            // index in Rule::versions
  ObligationStatus status = ObligationStatus::kOpen;
  bool time_assumed = false;  // an hours rule where one side had only a date
};

}  // namespace tilsyn

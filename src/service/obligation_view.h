#pragma once

#include <string>
#include <string_view>

#include "core/time.h"
#include "rules/engine.h"

namespace tilsyn {

// One obligation with everything a person needs to read it: ids and names instead of indices, the
// rule's Danish name and the legal reference of the version that governs it (Serviceloven or
// Barnets Lov, by the trigger date), and the next step while it is still to do.
// The texts are views into the engine's data set and catalogue: valid while they live unchanged
// (in the server, while the request's snapshot is held).
struct ObligationView {
  std::string_view rule_id;
  std::string_view rule_name;             // Danish
  std::string_view law;                   // "SEL", "BL" or "local" (LawName)
  std::string_view legal_reference;       // "SEL § 50, stk. 7"
  bool legal_reference_confirmed = true;  // false where the section could not be confirmed
  std::string_view child_id;
  std::string_view trigger_id;    // the event that started it
  std::string_view trigger_type;  // its Danish type name: "underretning modtaget"
  Instant trigger_at;
  Instant due;
  Date due_day;  // the local date of `due`
  ObligationStatus status = ObligationStatus::kOpen;
  std::string_view fulfilled_by_id;  // empty unless met or met late
  std::string_view worker_id;        // the caseworker at the due time; empty when none
  std::string_view worker_name;
  std::string_view unit_id;
  std::string_view unit_name;
  bool time_assumed = false;   // an hours deadline resting on a date without a time
  std::string_view next_step;  // Danish, for open and overdue obligations; empty otherwise
};

// The view of an obligation the engine gave.
ObligationView ViewObligation(const Engine& engine, const Obligation& obligation);

}  // namespace tilsyn

#pragma once

#include <string>

#include "core/time.h"
#include "rules/engine.h"

namespace tilsyn {

// One obligation with everything a person needs to read it: ids and names instead of indices, the
// rule's Danish name and the legal reference of the version that governs it (Serviceloven or
// Barnets Lov, by the trigger date), and the next step while it is still to do.
struct ObligationView {
  std::string rule_id;
  std::string rule_name;                  // Danish
  std::string law;                        // "SEL", "BL" or "local" (LawName)
  std::string legal_reference;            // "SEL § 50, stk. 7"
  bool legal_reference_confirmed = true;  // false where the section could not be confirmed
  std::string child_id;
  std::string trigger_id;    // the event that started it
  std::string trigger_type;  // its Danish type name: "underretning modtaget"
  Instant trigger_at;
  Instant due;
  Date due_day;  // the local date of `due`
  ObligationStatus status = ObligationStatus::kOpen;
  std::string fulfilled_by_id;  // empty unless met or met late
  std::string worker_id;        // the caseworker at the due time; empty when none
  std::string worker_name;
  std::string unit_id;
  std::string unit_name;
  bool time_assumed = false;  // an hours deadline resting on a date without a time
  std::string next_step;      // Danish, for open and overdue obligations; empty otherwise
};

// The view of an obligation the engine gave.
ObligationView ViewObligation(const Engine& engine, const Obligation& obligation);

}  // namespace tilsyn

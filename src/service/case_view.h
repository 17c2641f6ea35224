#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/engine.h"
#include "service/obligation_view.h"

namespace tilsyn {

// One case step as a person reads it.
// The texts are views into the engine's data set and catalogue, like ObligationView's.
struct CaseEventView {
  std::string_view event_id;
  EventType type = EventType::kWorkerAssigned;
  std::string_view type_name;  // Danish: "børnefaglig undersøgelse afsluttet"
  Instant at;
  Date day;                    // the local date of `at`
  bool date_only = false;      // registered with a date but no time of day
  std::string_view worker_id;  // who did it, or whom a worker_assigned names; empty when not given
  std::string_view worker_name;
  std::string_view ref_id;  // the event it answers, exempts or retracts
  std::string_view measure_id;
  std::string_view measure_type;       // service-catalogue code
  std::string_view measure_type_name;  // Danish, from the service catalogue; the code when unknown
  std::string_view decision;           // Danish: "bevilling", "afslag", "ændring", "ophør"
  std::string_view context;            // of a conversation, Danish: "afgørelse", "tilsyn", …
  std::optional<bool> placement;       // anbringelse uden for hjemmet
  std::string_view rule_id;            // an exemption's rule
  std::string_view reason;
  std::string_view legal_basis;
  bool retracted = false;  // taken back by a known retraction: left out of every computation
};

// One child's case as of a date: the known events and the obligations, each in time order.
struct CaseView {
  Date as_of;
  std::string child_id;
  Date birth_date;
  bool open = false;           // the case is open (analytics/case_state.h)
  std::optional<Date> opened;  // the day the current or last case opened
  std::optional<Date> closed;  // the day it closed, when closed
  std::string_view worker_id;  // the current caseworker; empty when none
  std::string_view worker_name;
  std::string unit_id;  // the caseworker's unit, or the child's own without one
  std::string unit_name;
  std::vector<CaseEventView> events;        // known by the end of as_of, in the case's order
  std::vector<ObligationView> obligations;  // by due time, then rule
};

// The case of the child with `child_id` as of the end of `as_of`, the engine evaluating that one
// child. kNotFound for an unknown child.
Result<CaseView> BuildCaseView(const Engine& engine, const std::string& child_id, Date as_of);
// The same for the child at index `child` of the engine's data set.
CaseView BuildCaseView(const Engine& engine, uint32_t child, Date as_of);

}  // namespace tilsyn

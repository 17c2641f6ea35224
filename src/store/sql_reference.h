#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "rules/rates.h"
#include "store/store.h"

namespace tilsyn {

// One obligation as the SQL reference derives it, by ids rather than positions.
struct SqlReferenceObligation {
  std::string rule;
  std::string child;
  std::string trigger;  // event id
  Instant due;
  Date due_day;
  ObligationStatus status = ObligationStatus::kOpen;
  std::string fulfilled_by;  // event id; empty unless met or met late
  std::string worker;        // empty when no caseworker is assigned
  std::string unit;
  bool time_assumed = false;
};

// What RunSqlReference hands on: the figures of RunCheck, and with `with_obligations` the
// obligations behind them.
struct SqlReferenceResult {
  std::vector<StatusCounts> rates;  // [catalogue rule], as CheckReport::rates
  // Those due in the period plus every open one, sorted as CheckReport::obligations: by rule
  // (catalogue order), child id, due, trigger id.
  std::vector<SqlReferenceObligation> obligations;
};

// The rule catalogue written as SQL (tests/sql_reference/, embedded at build time): a second,
// independent derivation of the obligations and rates of `tilsyn check`, run inside the store's
// database (SQLite or PostgreSQL) as one read-only query over its tables, with the Danish calendar
// (weekdays, local midnight) passed in as data. For tests that hold the engine to it and for
// benchmarks that time the engine against it. `catalogue` gives the rule order and the municipal
// settings (local standards, the service catalogue's follow-up intervals); the deadlines and logic
// of its 16 rules are in the SQL, which refuses a catalogue with a rule it does not implement.
Result<SqlReferenceResult> RunSqlReference(Store& store, const Catalogue& catalogue, Date as_of,
                                           const Period& period, bool with_obligations = false);

}  // namespace tilsyn

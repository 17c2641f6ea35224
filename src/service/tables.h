#pragma once

#include <span>
#include <string>

#include "service/case_view.h"
#include "service/export.h"
#include "service/obligation_view.h"
#include "service/overview.h"
#include "service/worklist.h"

namespace tilsyn {

// Every list and table of the service as an exportable Table (service/export.h) with Danish
// headers, in the order and with the values the API gives. Suppressed counts and rates stay
// suppressed.

// "Lovmedholdelighed": one row per rule, with the latest national figure.
Table RatesTable(const RatesReport& report);
// "Pr. rådgiver": one row per caseworker and rule; "Uden rådgiver" for the unassigned.
Table WorkerRatesTable(const RatesReport& report);
// A list of obligations (the rows behind a count, or a case's): named `name`.
Table ObligationsTable(std::span<const ObligationView> obligations, std::string name = "Krav");
// "Mine sager": the worklist.
Table WorklistTable(const Worklist& worklist);
// "Sagsstamme": one row per caseworker, then the unassigned cases and the total.
Table CaseloadTable(const CaseloadReport& report);
// "Udvikling": one row per quarter and rule.
Table TrendTable(const TrendReport& report);
// "Sagsskridt": a case's events.
Table CaseEventsTable(const CaseView& view);

}  // namespace tilsyn

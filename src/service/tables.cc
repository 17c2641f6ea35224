#include "service/tables.h"

#include <fmt/format.h>

#include <array>

namespace tilsyn {
namespace {

Cell Count(const ShownCount& count) {
  if (count.suppressed()) return SuppressedCell{};
  return *count.value;
}

Cell Rate(const ShownRate& rate) {
  if (rate.suppressed) return SuppressedCell{};
  if (!rate.value) return std::monostate{};
  return PercentCell{*rate.value};
}

Cell Text(std::string_view text) {
  if (text.empty()) return std::monostate{};
  return std::string(text);
}

Cell YesNo(bool value) { return std::string(value ? "ja" : "nej"); }

Cell National(const std::optional<NationalFigure>& figure) {
  if (!figure) return std::monostate{};
  return PercentCell{figure->percent / 100.0};
}

Cell NationalPeriod(const std::optional<NationalFigure>& figure) {
  if (!figure) return std::monostate{};
  return figure->Period();
}

// The status columns every table of counts shares, in this order.
constexpr std::array<std::string_view, 11> kCountHeaders = {
    "Rettidigt",    "For sent",      "Overskredet",       "Åbne",
    "Undtaget",     "Ikke relevant", "Opgjort i alt",     "Andel rettidig",
    "Udført i alt", "Andel udført",  "Klokkeslæt antaget"};

void AddCountHeaders(std::vector<std::string>& headers) {
  for (const std::string_view header : kCountHeaders) headers.emplace_back(header);
}

void AddCounts(std::vector<Cell>& row, const ShownCounts& counts) {
  for (const ShownCount& count : counts.status) row.push_back(Count(count));
  row.push_back(Count(counts.denominator));
  row.push_back(Rate(counts.rate));
  row.push_back(Count(counts.done));
  row.push_back(Rate(counts.done_rate));
  row.push_back(Count(counts.time_assumed));
}

}  // namespace

Table RatesTable(const RatesReport& report) {
  Table table{"Lovmedholdelighed", {"Krav", "Kravets id"}, {}};
  AddCountHeaders(table.headers);
  table.headers.insert(table.headers.end(), {"Landstal", "Landstal fra"});
  for (const RuleRates& rule : report.rules) {
    std::vector<Cell> row = {rule.rule_name, rule.rule_id};
    AddCounts(row, rule.counts);
    row.push_back(National(rule.national_latest));
    row.push_back(NationalPeriod(rule.national_latest));
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table WorkerRatesTable(const RatesReport& report) {
  Table table{"Pr. rådgiver", {"Rådgiver", "Rådgiverens id", "Enhed", "Krav", "Kravets id"}, {}};
  AddCountHeaders(table.headers);
  for (const WorkerRates& worker : report.workers) {
    for (size_t r = 0; r < report.rules.size(); ++r) {
      std::vector<Cell> row = {
          worker.worker_id.empty() ? Cell(std::string("Uden rådgiver")) : Cell(worker.worker_name),
          Text(worker.worker_id), Text(worker.unit_name), report.rules[r].rule_name,
          report.rules[r].rule_id};
      AddCounts(row, worker.by_rule[r]);
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

Table ObligationsTable(std::span<const ObligationView> obligations, std::string name) {
  Table table{std::move(name),
              {"Krav", "Lovgrundlag", "Barn", "Udløst af", "Sagsskridt", "Udløst", "Frist",
               "Status", "Opfyldt af", "Rådgiver", "Enhed", "Næste skridt"},
              {}};
  for (const ObligationView& o : obligations) {
    table.rows.push_back({std::string(o.rule_name), std::string(o.legal_reference),
                          std::string(o.child_id), std::string(o.trigger_type),
                          std::string(o.trigger_id), o.trigger_at, o.due,
                          std::string(ObligationStatusDanish(o.status)), Text(o.fulfilled_by_id),
                          Text(o.worker_name), std::string(o.unit_name), Text(o.next_step)});
  }
  return table;
}

Table WorklistTable(const Worklist& worklist) {
  Table table{"Mine sager",
              {"Frist", "Dage til frist", "Status", "Barn", "Krav", "Næste skridt", "Lovgrundlag",
               "Udløst af", "Sagsskridt", "Udløst"},
              {}};
  for (const WorklistItem& item : worklist.items) {
    const ObligationView& o = item.obligation;
    table.rows.push_back({o.due, int64_t{item.days_to_due},
                          std::string(ObligationStatusDanish(o.status)), std::string(o.child_id),
                          std::string(o.rule_name), std::string(o.next_step),
                          std::string(o.legal_reference), std::string(o.trigger_type),
                          std::string(o.trigger_id), o.trigger_at});
  }
  return table;
}

Table CaseloadTable(const CaseloadReport& report) {
  Table table{
      "Sagsstamme",
      {"Rådgiver", "Rådgiverens id", "Enhed", "Åbne sager", "Stillingsbrøk",
       "Sager pr. fuldtidsstilling",
       fmt::format("Ift. anbefalet {}-{} sager", report.band.min_cases, report.band.max_cases)},
      {}};
  for (const WorkerCaseloadView& w : report.workers) {
    table.rows.push_back({w.worker_name, w.worker_id, w.unit_name, w.open_cases, w.fte,
                          w.cases_per_full_time, std::string(CaseloadLevelDanish(w.level))});
  }
  table.rows.push_back({std::string("Uden rådgiver"), std::monostate{}, std::monostate{},
                        report.unassigned, std::monostate{}, std::monostate{}, std::monostate{}});
  table.rows.push_back({std::string("I alt"), std::monostate{}, Text(report.unit_name),
                        report.open_cases, report.fte, std::monostate{}, std::monostate{}});
  return table;
}

Table TrendTable(const TrendReport& report) {
  Table table{"Udvikling", {"Kvartal", "Fra", "Til", "Afsluttet", "Krav", "Kravets id"}, {}};
  AddCountHeaders(table.headers);
  for (size_t q = 0; q < report.quarters.size(); ++q) {
    const QuarterInfo& quarter = report.quarters[q];
    for (const RuleTrend& rule : report.rules) {
      std::vector<Cell> row = {quarter.label,           quarter.period.from, quarter.period.to,
                               YesNo(quarter.complete), rule.rule_name,      rule.rule_id};
      AddCounts(row, rule.by_quarter[q]);
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

Table CaseEventsTable(const CaseView& view) {
  Table table{"Sagsskridt",
              {"Tidspunkt", "Sagsskridt", "Id", "Rådgiver", "Henviser til", "Foranstaltning",
               "Foranstaltningstype", "Afgørelse", "Samtale ifm.", "Anbringelse", "Undtaget krav",
               "Begrundelse", "Lovgrundlag", "Annulleret"},
              {}};
  for (const CaseEventView& e : view.events) {
    // A date-only registration is shown as a date, not as midnight.
    const Cell at = e.date_only ? Cell(e.day) : Cell(e.at);
    table.rows.push_back({at, std::string(e.type_name), std::string(e.event_id),
                          Text(e.worker_name), Text(e.ref_id), Text(e.measure_id),
                          Text(e.measure_type_name), Text(e.decision), Text(e.context),
                          e.placement ? YesNo(*e.placement) : Cell(), Text(e.rule_id),
                          Text(e.reason), Text(e.legal_basis), YesNo(e.retracted)});
  }
  return table;
}

}  // namespace tilsyn

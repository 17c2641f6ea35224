#include "service/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/csv_field.h"
#include "core/utf8.h"

namespace tilsyn {
namespace {

// Rates to 4 decimals, as cli.md prescribes.
double RoundRate(double rate) { return std::round(rate * 10000.0) / 10000.0; }

// The latest national figure for a rule, as "NN % (YYYY)" or "NN % (YYYY-YYYY)", or "".
std::string LatestNationalFigure(const Rule& rule) {
  const NationalFigure* latest = rule.LatestNationalFigure();
  return latest == nullptr ? "" : fmt::format("{} % ({})", latest->percent, latest->Period());
}

std::string Percent(std::optional<double> rate) {
  return rate ? fmt::format("{:.1f} %", *rate * 100.0) : "–";
}

std::string Pad(std::string_view text, size_t width, bool right) {
  const size_t fill = width > DisplayWidth(text) ? width - DisplayWidth(text) : 0;
  return right ? std::string(fill, ' ') + std::string(text)
               : std::string(text) + std::string(fill, ' ');
}

// Renders rows as aligned columns; the first row is the header.
std::string Columns(const std::vector<std::vector<std::string>>& rows,
                    const std::vector<bool>& right_aligned) {
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (c > 0) line += "  ";
      line += Pad(rows[r][c], widths[c], right_aligned[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
    if (r == 0) {
      size_t total = 0;
      for (const size_t w : widths) total += w + 2;
      out += std::string(total - 2, '-') + '\n';
    }
  }
  return out;
}

}  // namespace

Period DefaultPeriod(Date to) { return Period{AddDays(AddMonths(to, -12), 1), to}; }

CheckReport RunCheck(const Engine& engine, const CheckOptions& options) {
  CheckReport report;
  report.as_of = options.as_of;
  report.period = options.period;
  std::vector<Obligation> all = engine.EvaluateAll(options.as_of, options.threads);
  report.rates = RatesByRule(all, engine.catalogue().rules.size(), options.period);
  std::erase_if(all, [&](const Obligation& o) { return !CountsFor(o, options.period); });
  const Dataset& data = engine.data();
  std::sort(all.begin(), all.end(), [&](const Obligation& a, const Obligation& b) {
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.child != b.child) return data.children[a.child].id < data.children[b.child].id;
    if (a.due != b.due) return a.due < b.due;
    return data.event_ids.Text(data.events[a.trigger].id) <
           data.event_ids.Text(data.events[b.trigger].id);
  });
  report.obligations = std::move(all);
  return report;
}

std::string RenderCheckJson(const CheckReport& report, const Engine& engine,
                            bool with_obligations) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  const Calendar& calendar = engine.calendar();
  nlohmann::ordered_json json;
  json["as_of"] = FormatDate(report.as_of);
  json["from"] = FormatDate(report.period.from);
  json["to"] = FormatDate(report.period.to);
  nlohmann::ordered_json rates = nlohmann::ordered_json::array();
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const StatusCounts& counts = report.rates[r];
    nlohmann::ordered_json entry;
    entry["rule"] = catalogue.rules[r].id;
    for (int s = 0; s < kObligationStatusCount; ++s) {
      const auto status = static_cast<ObligationStatus>(s);
      entry[std::string(ObligationStatusName(status))] = counts.Of(status);
    }
    const std::optional<double> rate = counts.Rate();
    entry["rate"] = rate ? nlohmann::ordered_json(RoundRate(*rate)) : nlohmann::ordered_json();
    rates.push_back(std::move(entry));
  }
  json["rates"] = std::move(rates);
  if (with_obligations) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Obligation& o : report.obligations) {
      nlohmann::ordered_json entry;
      entry["rule"] = catalogue.rules[o.rule].id;
      entry["child"] = data.children[o.child].id;
      entry["trigger"] = data.event_ids.Text(data.events[o.trigger].id);
      entry["due"] = calendar.FormatInstant(o.due);
      entry["status"] = ObligationStatusName(o.status);
      entry["fulfilled_by"] =
          o.fulfilled_by == kNone
              ? nlohmann::ordered_json()
              : nlohmann::ordered_json(data.event_ids.Text(data.events[o.fulfilled_by].id));
      entry["worker"] = o.worker == kNone ? nlohmann::ordered_json()
                                          : nlohmann::ordered_json(data.workers[o.worker].id);
      entry["unit"] = data.units[o.unit].id;
      list.push_back(std::move(entry));
    }
    json["obligations"] = std::move(list);
  }
  return json.dump(2) + '\n';
}

std::string RenderCheckCsv(const CheckReport& report, const Engine& engine, bool with_obligations) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  std::string out;
  if (with_obligations) {
    out = "rule,child,trigger,due,status,fulfilled_by,worker,unit,time_assumed\n";
    for (const Obligation& o : report.obligations) {
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", catalogue.rules[o.rule].id,
                         CsvField(data.children[o.child].id),
                         CsvField(data.event_ids.Text(data.events[o.trigger].id)),
                         engine.calendar().FormatInstant(o.due), ObligationStatusName(o.status),
                         o.fulfilled_by == kNone
                             ? ""
                             : CsvField(data.event_ids.Text(data.events[o.fulfilled_by].id)),
                         o.worker == kNone ? "" : CsvField(data.workers[o.worker].id),
                         CsvField(data.units[o.unit].id), o.time_assumed ? "true" : "false");
    }
    return out;
  }
  out = "rule,met,met_late,overdue,open,exempted,not_applicable,rate,time_assumed\n";
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const StatusCounts& c = report.rates[r];
    const std::optional<double> rate = c.Rate();
    out += fmt::format("{},{},{},{},{},{},{},{},{}\n", catalogue.rules[r].id,
                       c.Of(ObligationStatus::kMet), c.Of(ObligationStatus::kMetLate),
                       c.Of(ObligationStatus::kOverdue), c.Of(ObligationStatus::kOpen),
                       c.Of(ObligationStatus::kExempted), c.Of(ObligationStatus::kNotApplicable),
                       rate ? fmt::format("{:.4f}", RoundRate(*rate)) : "", c.time_assumed);
  }
  return out;
}

std::string RenderCheckTable(const CheckReport& report, const Engine& engine,
                             bool with_obligations) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  std::string out = fmt::format(
      "Lovmedholdelighed pr. {} — frister i perioden {} til {} ({} børn, {} sagsskridt)\n\n",
      FormatDate(report.as_of), FormatDate(report.period.from), FormatDate(report.period.to),
      data.children.size(), data.events.size());
  std::vector<std::vector<std::string>> rows = {{"Krav", "Rettidigt", "For sent", "Overskredet",
                                                 "Åbne", "Undtaget", "Ikke relevant",
                                                 "Andel rettidig", "Udført i alt", "Landstal"}};
  int64_t time_assumed = 0;
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const StatusCounts& c = report.rates[r];
    time_assumed += c.time_assumed;
    const int64_t denominator = c.Denominator();
    rows.push_back(
        {catalogue.rules[r].name, std::to_string(c.Of(ObligationStatus::kMet)),
         std::to_string(c.Of(ObligationStatus::kMetLate)),
         std::to_string(c.Of(ObligationStatus::kOverdue)),
         std::to_string(c.Of(ObligationStatus::kOpen)),
         std::to_string(c.Of(ObligationStatus::kExempted)),
         std::to_string(c.Of(ObligationStatus::kNotApplicable)), Percent(c.Rate()),
         Percent(denominator == 0 ? std::nullopt
                                  : std::optional<double>(static_cast<double>(c.Done()) /
                                                          static_cast<double>(denominator))),
         LatestNationalFigure(catalogue.rules[r])});
  }
  out += Columns(rows, {false, true, true, true, true, true, true, true, true, true});
  out +=
      "\nAndel rettidig = rettidige ÷ (rettidige + for sent + overskredne) blandt krav med frist "
      "i perioden.\nÅbne krav tælles uanset frist. Landstal: Ankestyrelsens Børnesagsbarometer "
      "(seneste måling).\n";
  if (time_assumed > 0) {
    out +=
        fmt::format("{} krav med frist i timer bygger på en dato uden klokkeslæt.\n", time_assumed);
  }
  if (with_obligations) {
    out += '\n';
    std::vector<std::vector<std::string>> list = {
        {"Krav", "Barn", "Udløst af", "Frist", "Status", "Opfyldt af", "Rådgiver", "Enhed"}};
    for (const Obligation& o : report.obligations) {
      list.push_back(
          {catalogue.rules[o.rule].id, data.children[o.child].id,
           std::string(data.event_ids.Text(data.events[o.trigger].id)),
           engine.calendar().FormatInstant(o.due), std::string(ObligationStatusDanish(o.status)),
           o.fulfilled_by == kNone
               ? ""
               : std::string(data.event_ids.Text(data.events[o.fulfilled_by].id)),
           o.worker == kNone ? "" : data.workers[o.worker].name, data.units[o.unit].name});
    }
    out += Columns(list, std::vector<bool>(8, false));
  }
  return out;
}

}  // namespace tilsyn

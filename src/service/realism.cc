#include "service/realism.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "analytics/case_state.h"
#include "analytics/scope.h"
#include "core/utf8.h"
#include "service/check.h"
#include "simulate/municipality.h"

namespace tilsyn {
namespace {

// The value at quantile `q` of sorted `values` (not empty).
double Quantile(const std::vector<double>& values, double q) {
  const double rank = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (rank - static_cast<double>(below)) * (values[above] - values[below]);
}

bool Within(double value, const CaseloadBand& band) {
  return LevelOf(value, band) == CaseloadLevel::kWithin;
}

// Danish names of the notifiers (the interchange names are English).
std::string_view SourceDanish(NotificationSource source) {
  switch (source) {
    case NotificationSource::kUnspecified:
      return "Ikke angivet";
    case NotificationSource::kSchool:
      return "Skole";
    case NotificationSource::kDaycare:
      return "Dagtilbud";
    case NotificationSource::kHealth:
      return "Sundhedsvæsen";
    case NotificationSource::kPolice:
      return "Politi";
    case NotificationSource::kHospital:
      return "Hospital";
    case NotificationSource::kOtherAuthority:
      return "Anden myndighed";
    case NotificationSource::kCitizen:
      return "Borger";
    case NotificationSource::kFamily:
      return "Familie";
    case NotificationSource::kAnonymous:
      return "Anonym";
    case NotificationSource::kChild:
      return "Barnet selv";
    case NotificationSource::kOther:
      return "Andre";
  }
  return "";
}

constexpr std::string_view kDash = "—";

std::string Percent(double share) { return fmt::format("{:.1f} %", share * 100.0); }

std::string ShareOf(int64_t part, int64_t whole) {
  return whole == 0 ? std::string(kDash)
                    : Percent(static_cast<double>(part) / static_cast<double>(whole));
}

std::string Points(double points) { return fmt::format("{:+.1f}", points); }

// A whole number as such, anything else to one decimal.
std::string Number(double value) {
  return value == std::round(value) ? fmt::format("{:.0f}", value) : fmt::format("{:.1f}", value);
}

// A Markdown table, padded so that it reads as plain text too; the first row is the header.
// Columns of figures are right-aligned, the others left-aligned.
std::string Table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right_aligned) {
  std::vector<size_t> widths(rows.front().size(), 3);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  const auto line = [&](const std::vector<std::string>& row) {
    std::string out = "|";
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string fill(widths[c] - DisplayWidth(row[c]), ' ');
      out += ' ' + (right_aligned[c] ? fill + row[c] : row[c] + fill) + " |";
    }
    return out + '\n';
  };
  std::string out = line(rows.front());
  out += '|';
  for (size_t c = 0; c < widths.size(); ++c) {
    out += right_aligned[c] ? ' ' + std::string(widths[c] - 1, '-') + ": |"
                            : ' ' + std::string(widths[c], '-') + " |";
  }
  out += '\n';
  for (size_t r = 1; r < rows.size(); ++r) out += line(rows[r]);
  return out;
}

std::string RatesSection(const RealismReport& report, const Catalogue& catalogue) {
  std::string out = fmt::format(
      "## 1. Lovmedholdelighed pr. krav\n\nFrister fra {} til {}, som `tilsyn check --as-of {}` "
      "tæller dem. Landstal: Ankestyrelsens Børnesagsbarometer, seneste måling.\n\n",
      FormatDate(report.period.from), FormatDate(report.period.to), FormatDate(report.as_of));
  std::vector<std::vector<std::string>> rows = {
      {"Krav", "Frister", "Andel rettidig", "Landstal", "Måling", "Forskel (point)"}};
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const StatusCounts& counts = report.rates[r];
    const std::optional<double> rate = counts.Rate();
    const NationalFigure* national = catalogue.rules[r].LatestNationalFigure();
    rows.push_back(
        {catalogue.rules[r].name, std::to_string(counts.Denominator()),
         rate ? Percent(*rate) : std::string(kDash),
         national ? fmt::format("{} %", national->percent) : std::string(kDash),
         national ? national->Period() : std::string(kDash),
         rate && national ? Points(*rate * 100.0 - national->percent) : std::string(kDash)});
  }
  out += Table(rows, {false, true, true, true, true, true});
  out +=
      "\nAndel rettidig = rettidige ÷ (rettidige + for sent + overskredne) blandt krav med frist "
      "i perioden; Frister er nævneren.\n";
  return out;
}

std::string CaseloadSection(const RealismReport& report) {
  const CaseloadBand& band = report.recommended;
  const CaseloadBand& range = kGeneratorCaseloadRange;
  std::string out = fmt::format(
      "## 2. Sagsstamme pr. rådgiver\n\nÅbne sager pr. fuldtidsrådgiver (åbne sager ÷ årsværk) "
      "pr. {}, blandt rådgivere med mindst én åben sag. {}–{} er det spænd, tilsyn generate "
      "sigter mod; {}–{} er katalogets anbefalede spænd (local_standards.toml).\n\n",
      FormatDate(report.as_of), range.min_cases, range.max_cases, band.min_cases, band.max_cases);
  const Distribution& d = report.caseload;
  out += Table({{"Rådgivere", "Min", "P10", "Median", "P90", "Maks",
                 fmt::format("Inden for {}–{}", range.min_cases, range.max_cases),
                 fmt::format("Inden for {}–{}", band.min_cases, band.max_cases)},
                {std::to_string(d.count), Number(d.min), Number(d.p10), Number(d.median),
                 Number(d.p90), Number(d.max), ShareOf(report.within_generator_range, d.count),
                 ShareOf(report.within_recommended, d.count)}},
               std::vector<bool>(8, true));
  out += fmt::format("\n{} åbne sager, heraf {} uden rådgiver.\n", report.open_cases,
                     report.unassigned_cases);
  return out;
}

std::string EventsSection(const RealismReport& report) {
  std::string out =
      "## 3. Sagsskridt pr. barn\n\nAlle sagsskridt i datasættet (også tilbagekaldte og "
      "tilbagekaldelserne selv), blandt børn med mindst ét.\n\n";
  const Distribution& d = report.events_per_child;
  out += Table({{"Børn", "Median", "P90", "P99", "Maks", "Gennemsnit"},
                {std::to_string(d.count), Number(d.median), Number(d.p90), Number(d.p99),
                 Number(d.max), fmt::format("{:.1f}", d.mean)}},
               std::vector<bool>(6, true));
  out += fmt::format(
      "\n{} børn i datasættet; {} ({}) har haft en sag åbnet senest {}, {} ({}) har en åben sag "
      "den dag.\n",
      report.children, report.children_with_case,
      ShareOf(report.children_with_case, report.children), FormatDate(report.as_of),
      report.children_with_open_case, ShareOf(report.children_with_open_case, report.children));
  return out;
}

std::string SourcesSection(const RealismReport& report) {
  std::string out = fmt::format(
      "## 4. Underretninger efter underretter\n\nAlle {} modtagne underretninger i datasættet "
      "(også senere tilbagekaldte). Landsandel: den andel, simuleringen trækker fra, omtrent som "
      "Danmarks Statistiks statistik over underretninger viser den (før barnets alder forskyder "
      "den: skole for skolebørn, politi for unge).\n\n",
      report.notifications);
  std::vector<std::vector<std::string>> rows = {
      {"Underretter", "Kode", "Underretninger", "Andel", "Landsandel", "Forskel (point)"}};
  for (int s = 0; s < kNotificationSourceCount; ++s) {
    const auto source = static_cast<NotificationSource>(s);
    const int64_t count = report.notifications_by_source[static_cast<size_t>(s)];
    // Data without a source for some notifications say so; generated data never do.
    if (source == NotificationSource::kUnspecified && count == 0) continue;
    const double national = simulate::NationalSourceShare(source);
    const bool has_national = source != NotificationSource::kUnspecified;
    const bool has_share = report.notifications > 0;
    const double share =
        has_share ? static_cast<double>(count) / static_cast<double>(report.notifications) : 0.0;
    rows.push_back(
        {std::string(SourceDanish(source)),
         source == NotificationSource::kUnspecified ? std::string(kDash)
                                                    : std::string(NotificationSourceName(source)),
         std::to_string(count), ShareOf(count, report.notifications),
         has_national ? Percent(national) : std::string(kDash),
         has_national && has_share ? Points((share - national) * 100.0) : std::string(kDash)});
  }
  out += Table(rows, {false, false, true, true, true, true});
  return out;
}

}  // namespace

Distribution Summarise(std::vector<double> values) {
  Distribution d;
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.count = static_cast<int64_t>(values.size());
  d.min = values.front();
  d.p10 = Quantile(values, 0.10);
  d.median = Quantile(values, 0.50);
  d.p90 = Quantile(values, 0.90);
  d.p99 = Quantile(values, 0.99);
  d.max = values.back();
  d.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return d;
}

Result<RealismReport> ComputeRealism(const Engine& engine, const RealismOptions& options) {
  const Dataset& data = engine.data();
  const Catalogue& catalogue = engine.catalogue();
  Result<CaseloadBand> band = RecommendedCaseload(catalogue);
  if (!band) return band.error();

  RealismReport report;
  report.as_of = options.as_of;
  report.period = DefaultPeriod(options.as_of);
  // The evaluation and count of RunCheck, without sorting the obligations it would list.
  report.rates = RatesByRule(engine.EvaluateAll(options.as_of, options.threads),
                             catalogue.rules.size(), report.period);

  report.recommended = *band;
  const Caseloads caseloads =
      ComputeCaseloads(data, UnitSubtree(data, kNone), options.as_of, report.recommended);
  std::vector<double> loads;
  for (const WorkerCaseload& worker : caseloads.workers) {
    if (worker.open_cases == 0) continue;
    loads.push_back(worker.cases_per_full_time);
    report.within_generator_range +=
        Within(worker.cases_per_full_time, kGeneratorCaseloadRange) ? 1 : 0;
    report.within_recommended += worker.level == CaseloadLevel::kWithin ? 1 : 0;
  }
  report.caseload = Summarise(std::move(loads));
  report.open_cases = caseloads.open_cases;
  report.unassigned_cases = caseloads.unassigned;

  report.children = static_cast<int64_t>(data.children.size());
  std::vector<double> events;
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    const std::span<const Event> own = data.EventsOf(child);
    if (!own.empty()) events.push_back(static_cast<double>(own.size()));
    for (const Event& event : own) {
      if (event.type != EventType::kNotificationReceived) continue;
      ++report.notifications_by_source[static_cast<size_t>(event.source)];
      ++report.notifications;
    }
    const CaseState state = ChildCaseState(data, child, options.as_of);
    report.children_with_case += state.opened ? 1 : 0;
    report.children_with_open_case += state.open() ? 1 : 0;
  }
  report.events_per_child = Summarise(std::move(events));
  return report;
}

std::string RenderRealismReport(const RealismReport& report, const Catalogue& catalogue) {
  std::string out = fmt::format(
      "# Realisme pr. {}\n\nDatasættet ved siden af landstallene: lovmedholdelighed, "
      "sagsstammer, sagsskridt pr. barn og underrettere.\n\n",
      FormatDate(report.as_of));
  out += RatesSection(report, catalogue);
  out += '\n' + CaseloadSection(report);
  out += '\n' + EventsSection(report);
  out += '\n' + SourcesSection(report);
  return out;
}

}  // namespace tilsyn

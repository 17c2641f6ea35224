#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/cli/commands.h"
#include "rules/catalogue.h"

namespace tilsyn::cli {
namespace {

// The deadline in Danish words: "4 måneder", "6 hverdage", "dagen for hændelsen".
std::string DescribeDeadline(const Catalogue& catalogue, const Deadline& deadline) {
  const int amount = catalogue.DeadlineAmount(deadline, "");
  std::string text;
  switch (deadline.kind) {
    case DeadlineKind::kHours:
      text = fmt::format("{} timer", amount);
      break;
    case DeadlineKind::kDays:
      text = fmt::format("{} dage", amount);
      break;
    case DeadlineKind::kWeekdays:
      text = fmt::format("{} hverdage", amount);
      break;
    case DeadlineKind::kMonths:
      text = fmt::format("{} {}", amount, amount == 1 ? "måned" : "måneder");
      break;
    case DeadlineKind::kAtTrigger:
      text = "senest på dagen";
      break;
    case DeadlineKind::kPeriodEnd:
      text = "inden årets (eller anbringelsens) udgang";
      break;
  }
  if (!deadline.local_standard.empty()) text += " (lokal standard)";
  if (!deadline.per_measure_type.empty()) text += " (eller servicekatalogets interval)";
  return text;
}

int RunRules(const std::string& rules_dir, const std::string& format) {
  Result<Catalogue> catalogue =
      LoadCatalogue(rules_dir.empty() ? DefaultRulesDirectory() : std::filesystem::path(rules_dir));
  if (!catalogue) return ReportError(catalogue.error());
  std::string out;
  if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const Rule& rule : catalogue->rules) {
      nlohmann::ordered_json entry;
      entry["id"] = rule.id;
      entry["name"] = rule.name;
      entry["next_step"] = rule.next_step;
      entry["national_measure"] = rule.national_measure;
      nlohmann::ordered_json national = nlohmann::ordered_json::object();
      for (const NationalFigure& figure : rule.national_figures) {
        national[figure.Period()] = figure.percent;
      }
      entry["national_percent"] = std::move(national);
      nlohmann::ordered_json versions = nlohmann::ordered_json::array();
      for (const RuleVersion& version : rule.versions) {
        versions.push_back({{"law", LawName(version.law)},
                            {"reference", version.reference},
                            {"reference_confirmed", version.reference_confirmed},
                            {"from", FormatDate(version.from)},
                            {"until", FormatDate(version.until)},
                            {"deadline", DescribeDeadline(*catalogue, version.deadline)}});
      }
      entry["versions"] = std::move(versions);
      rules.push_back(std::move(entry));
    }
    out = rules.dump(2) + '\n';
  } else {
    for (const Rule& rule : catalogue->rules) {
      out += fmt::format("{}\n  {}\n", rule.id, rule.name);
      for (const RuleVersion& version : rule.versions) {
        out += fmt::format("  {:<5} {}{} — frist: {} (for hændelser {} til {})\n",
                           LawName(version.law), version.reference,
                           version.reference_confirmed ? "" : " (?)",
                           DescribeDeadline(*catalogue, version.deadline), FormatDate(version.from),
                           FormatDate(version.until));
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddRulesCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("rules", "List the rule catalogue");
  auto rules_dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  command->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  command->add_option("--rules", *rules_dir,
                      "The rule catalogue directory (default: built in, or $TILSYN_RULES)");
  command->callback([rules_dir, format, &exit_code] { exit_code = RunRules(*rules_dir, *format); });
}

}  // namespace tilsyn::cli

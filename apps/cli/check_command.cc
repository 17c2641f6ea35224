#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/source_options.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "service/check.h"
#include "service/data_source.h"

namespace tilsyn::cli {
namespace {

struct CheckArgs {
  DataSource source;
  std::string rules_dir;
  std::string as_of;
  std::string from;
  std::string to;
  std::string format = "table";
  bool obligations = false;
  unsigned threads = 0;
};

int RunCheck(const CheckArgs& args) {
  const Calendar& calendar = Calendar::Danish();
  Result<Date> as_of = DateOption("--as-of", args.as_of, calendar.LocalDate(WallClockNow()));
  if (!as_of) return ReportError(as_of.error());
  Result<Date> to = DateOption("--to", args.to, *as_of);
  if (!to) return ReportError(to.error());
  Result<Date> from = DateOption("--from", args.from, DefaultPeriod(*to).from);
  if (!from) return ReportError(from.error());
  if (*to < *from) {
    return ReportError(InvalidArgument(
        fmt::format("--from {} is after --to {}", FormatDate(*from), FormatDate(*to))));
  }

  Result<CatalogueAndData> loaded = LoadCatalogueAndData(args.rules_dir, args.source);
  if (!loaded) return ReportError(loaded.error());

  const Engine engine(loaded->data, loaded->catalogue, calendar);
  const CheckReport report = tilsyn::RunCheck(engine, {*as_of, Period{*from, *to}, args.threads});
  std::string out;
  if (args.format == "json") {
    out = RenderCheckJson(report, engine, args.obligations);
  } else if (args.format == "csv") {
    out = RenderCheckCsv(report, engine, args.obligations);
  } else {
    out = RenderCheckTable(report, engine, args.obligations);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "check", "Compute every obligation and the compliance rate per rule over a period");
  auto args = std::make_shared<CheckArgs>();
  AddSourceOptions(*command, args->source, true);
  command->add_option("--as-of", args->as_of,
                      "What was known at the end of this date (default today)");
  command->add_option("--from", args->from,
                      "First due date in the period (default: --to minus one year, plus one day)");
  command->add_option("--to", args->to, "Last due date in the period (default: --as-of)");
  command->add_option("--format", args->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  command->add_flag("--obligations", args->obligations,
                    "List the obligations due in the period and every open one");
  command->add_option("--rules", args->rules_dir,
                      "The rule catalogue directory (default: built in, or $TILSYN_RULES)");
  command->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  command->callback([args, &exit_code] { exit_code = RunCheck(*args); });
}

}  // namespace tilsyn::cli

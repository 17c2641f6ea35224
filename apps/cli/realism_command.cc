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
#include "service/data_source.h"
#include "service/realism.h"

namespace tilsyn::cli {
namespace {

struct RealismArgs {
  DataSource source;
  std::string rules_dir;
  std::string as_of;
  unsigned threads = 0;
};

int RunRealism(const RealismArgs& args) {
  const Calendar& calendar = Calendar::Danish();
  Result<Date> as_of = DateOption("--as-of", args.as_of, calendar.LocalDate(WallClockNow()));
  if (!as_of) return ReportError(as_of.error());
  Result<CatalogueAndData> loaded = LoadCatalogueAndData(args.rules_dir, args.source);
  if (!loaded) return ReportError(loaded.error());

  const Engine engine(loaded->data, loaded->catalogue, calendar);
  const Result<RealismReport> report = ComputeRealism(engine, {*as_of, args.threads});
  if (!report) return ReportError(report.error());
  const std::string out = RenderRealismReport(*report, loaded->catalogue);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddRealismCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "realism",
      "Report how a data set compares with the national figures: compliance per rule, caseloads, "
      "events per child, notification sources");
  auto args = std::make_shared<RealismArgs>();
  AddSourceOptions(*command, args->source, true);
  command->add_option("--as-of", args->as_of,
                      "What was known at the end of this date (default today); the compliance "
                      "period is the year to it, as in check");
  command->add_option("--rules", args->rules_dir,
                      "The rule catalogue directory (default: built in, or $TILSYN_RULES)");
  command->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  command->callback([args, &exit_code] { exit_code = RunRealism(*args); });
}

}  // namespace tilsyn::cli

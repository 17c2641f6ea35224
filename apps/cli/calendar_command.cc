#include <fmt/format.h>

#include "apps/cli/commands.h"
#include "core/calendar.h"

namespace tilsyn::cli {

void AddCalendarCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "calendar",
      "Print a year's public holidays and the other days that never count as weekdays "
      "(Grundlovsdag, 24 and 31 December), one 'YYYY-MM-DD name' per line");
  auto year = std::make_shared<int>(0);
  command->add_option("--year", *year, "The year")->required()->check(CLI::Range(1900, 2199));
  command->callback([year, &exit_code] {
    for (const NamedDay& day : Calendar::Danish().NonWeekdays(*year)) {
      fmt::print("{} {}\n", FormatDate(day.date), day.name);
    }
    exit_code = 0;
  });
}

}  // namespace tilsyn::cli
